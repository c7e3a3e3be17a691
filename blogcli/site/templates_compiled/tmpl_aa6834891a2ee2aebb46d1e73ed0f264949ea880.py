from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'archive.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_brief = missing
    pass
    parent_template = environment.get_template('base.html', 'archive.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html', 'archive.html')._get_default_module(context)
    l_0_brief = getattr(included_template, 'brief', missing)
    if l_0_brief is missing:
        l_0_brief = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'archive.html') does not export the requested name 'brief'", name='brief')
    context.vars['brief'] = l_0_brief
    context.exported_vars.discard('brief')
    yield from parent_template.root_render_func(context)

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_title = resolve('page_title')
    l_0_years = resolve('years')
    l_0_months = resolve('months')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<h1 class="page-title">'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</h1>\n'
    if (t_1((undefined(name='years') if l_0_years is missing else l_0_years)) > 1):
        pass
        yield '<p class="meta years">'
        l_1_loop = missing
        for l_1_link, l_1_loop in LoopContext((undefined(name='years') if l_0_years is missing else l_0_years), undefined):
            l_1_year = resolve('year')
            _loop_vars = {}
            pass
            if (not environment.getattr(l_1_loop, 'first')):
                pass
                yield ' · '
            if (environment.getattr(l_1_link, 'year') == (undefined(name='year') if l_1_year is missing else l_1_year)):
                pass
                yield '<strong>'
                yield escape(environment.getattr(l_1_link, 'year'))
                yield '</strong>'
            else:
                pass
                yield '<a href="'
                yield escape(environment.getattr(l_1_link, 'url'))
                yield '">'
                yield escape(environment.getattr(l_1_link, 'year'))
                yield '</a>'
        l_1_loop = l_1_link = l_1_year = missing
        yield '</p>\n'
    if (not (undefined(name='months') if l_0_months is missing else l_0_months)):
        pass
        yield '<p class="empty">Nothing published yet.</p>'
    for l_1_month in (undefined(name='months') if l_0_months is missing else l_0_months):
        _loop_vars = {}
        pass
        yield '<section class="month" id="m'
        yield escape(environment.getattr(l_1_month, 'id'))
        yield '">\n  <h2>'
        yield escape(environment.getattr(l_1_month, 'label'))
        yield '</h2>\n  <ul class="briefs">\n'
        for l_2_item in environment.getitem(l_1_month, 'items'):
            l_2_brief = resolve('brief')
            _loop_vars = {}
            pass
            yield '  '
            yield escape(context.call((undefined(name='brief') if l_2_brief is missing else l_2_brief), l_2_item, _loop_vars=_loop_vars))
            yield '\n'
        l_2_item = l_2_brief = missing
        yield '  </ul>\n</section>\n'
    l_1_month = missing

blocks = {'main': block_main}
debug_info = '1=13&2=16&3=24&4=42&5=44&6=48&8=69&9=72&10=76&11=78&13=80&14=85'