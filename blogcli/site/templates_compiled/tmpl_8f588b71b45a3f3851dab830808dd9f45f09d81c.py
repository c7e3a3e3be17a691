from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tag.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_brief = missing
    pass
    parent_template = environment.get_template('base.html', 'tag.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html', 'tag.html')._get_default_module(context)
    l_0_brief = getattr(included_template, 'brief', missing)
    if l_0_brief is missing:
        l_0_brief = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'tag.html') does not export the requested name 'brief'", name='brief')
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
    l_0_tag = resolve('tag')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['length']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'length' found.")
    pass
    yield '<h1 class="page-title">Tagged “'
    yield escape(environment.getattr((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'name'))
    yield '”</h1>\n<p class="meta">'
    yield escape(t_1(environment.getitem((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'items')))
    yield ' post'
    if (t_1(environment.getitem((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'items')) != 1):
        pass
        yield 's'
    yield ' · <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'tags_url'))
    yield '">all tags</a></p>\n<ul class="briefs">\n'
    for l_1_item in environment.getitem((undefined(name='tag') if l_0_tag is missing else l_0_tag), 'items'):
        l_1_brief = resolve('brief')
        _loop_vars = {}
        pass
        yield escape(context.call((undefined(name='brief') if l_1_brief is missing else l_1_brief), l_1_item, _loop_vars=_loop_vars))
        yield '\n'
    l_1_item = l_1_brief = missing
    yield '</ul>\n'

blocks = {'main': block_main}
debug_info = '1=13&2=16&3=24&4=41&5=43&7=51&8=55'