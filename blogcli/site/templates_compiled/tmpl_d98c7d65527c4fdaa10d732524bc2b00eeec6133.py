from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'series_index.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'series_index.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_all_series = resolve('all_series')
    pass
    yield '<h1 class="page-title">Series</h1>\n'
    if (not (undefined(name='all_series') if l_0_all_series is missing else l_0_all_series)):
        pass
        yield '<p class="empty">No series yet.</p>'
    for l_1_series in (undefined(name='all_series') if l_0_all_series is missing else l_0_all_series):
        _loop_vars = {}
        pass
        yield '<section class="series-card">\n  <h2><a href="'
        yield escape(environment.getattr(l_1_series, 'url'))
        yield '">'
        yield escape(environment.getattr(l_1_series, 'title'))
        yield '</a></h2>\n'
        if environment.getattr(l_1_series, 'description'):
            pass
            yield '<p>'
            yield escape(environment.getattr(l_1_series, 'description'))
            yield '</p>'
        yield '  <p class="meta">'
        yield escape(environment.getattr(l_1_series, 'count'))
        yield ' part'
        if (environment.getattr(l_1_series, 'count') != 1):
            pass
            yield 's'
        yield ' · latest: <a href="'
        yield escape(environment.getattr(environment.getattr(l_1_series, 'latest'), 'url'))
        yield '">'
        yield escape(environment.getattr(environment.getattr(l_1_series, 'latest'), 'title'))
        yield '</a></p>\n</section>\n'
    l_1_series = missing

blocks = {'main': block_main}
debug_info = '1=12&2=17&4=27&5=30&7=34&8=38&9=44'