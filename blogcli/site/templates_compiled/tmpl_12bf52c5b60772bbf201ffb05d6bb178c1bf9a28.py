from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '404.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', '404.html')
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
    l_0_site = resolve('site')
    pass
    yield '<h1 class="page-title">Page not found</h1>\n<p>There is nothing at this address. It may have moved, or never existed.</p>\n<p><a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'home_url'))
    yield '">Go to the latest posts</a> or look through the <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'archive_url'))
    yield '">archive</a>.</p>\n'

blocks = {'main': block_main}
debug_info = '1=12&2=17&5=27'