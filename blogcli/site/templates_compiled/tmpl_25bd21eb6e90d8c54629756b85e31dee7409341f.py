from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'tags.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'tags.html')
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
    l_0_tags = resolve('tags')
    pass
    yield '<h1 class="page-title">Tags</h1>\n'
    if (not (undefined(name='tags') if l_0_tags is missing else l_0_tags)):
        pass
        yield '<p class="empty">No tags yet.</p>'
    yield '<ul class="tag-cloud">\n'
    for l_1_tag in (undefined(name='tags') if l_0_tags is missing else l_0_tags):
        _loop_vars = {}
        pass
        yield '  <li><a href="'
        yield escape(environment.getattr(l_1_tag, 'url'))
        yield '">'
        yield escape(environment.getattr(l_1_tag, 'name'))
        yield '</a> <span class="count">'
        yield escape(environment.getattr(l_1_tag, 'count'))
        yield '</span></li>\n'
    l_1_tag = missing
    yield '</ul>\n'

blocks = {'main': block_main}
debug_info = '1=12&2=17&4=27&6=31&7=35'