from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_entry = missing
    pass
    parent_template = environment.get_template('base.html', 'index.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    included_template = environment.get_template('_macros.html', 'index.html')._get_default_module(context)
    l_0_entry = getattr(included_template, 'entry', missing)
    if l_0_entry is missing:
        l_0_entry = undefined(f"the template {included_template.__name__!r} (imported on line 2 in 'index.html') does not export the requested name 'entry'", name='entry')
    context.vars['entry'] = l_0_entry
    context.exported_vars.discard('entry')
    yield from parent_template.root_render_func(context)

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_number = resolve('page_number')
    l_0_site = resolve('site')
    l_0_items = resolve('items')
    l_0_newer_url = resolve('newer_url')
    l_0_older_url = resolve('older_url')
    pass
    yield '<h1 class="visually-hidden">'
    if (undefined(name='page_number') if l_0_page_number is missing else l_0_page_number):
        pass
        yield 'Page '
        yield escape((undefined(name='page_number') if l_0_page_number is missing else l_0_page_number))
    else:
        pass
        yield 'Latest posts'
    yield '</h1>\n'
    if ((not (undefined(name='page_number') if l_0_page_number is missing else l_0_page_number)) and environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')):
        pass
        yield '<p class="intro">'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '</p>\n'
    if (not (undefined(name='items') if l_0_items is missing else l_0_items)):
        pass
        yield '<p class="empty">Nothing published yet.</p>\n'
    for l_1_item in (undefined(name='items') if l_0_items is missing else l_0_items):
        l_1_entry = resolve('entry')
        _loop_vars = {}
        pass
        yield escape(context.call((undefined(name='entry') if l_1_entry is missing else l_1_entry), l_1_item, _loop_vars=_loop_vars))
        yield '\n'
    l_1_item = l_1_entry = missing
    if ((undefined(name='newer_url') if l_0_newer_url is missing else l_0_newer_url) or (undefined(name='older_url') if l_0_older_url is missing else l_0_older_url)):
        pass
        yield '<nav class="pager" aria-label="Pages">\n'
        if (undefined(name='newer_url') if l_0_newer_url is missing else l_0_newer_url):
            pass
            yield '<a rel="prev" href="'
            yield escape((undefined(name='newer_url') if l_0_newer_url is missing else l_0_newer_url))
            yield '">← Newer posts</a>'
        else:
            pass
            yield '<span></span>'
        yield '  <span class="where">'
        if (undefined(name='page_number') if l_0_page_number is missing else l_0_page_number):
            pass
            yield 'Page '
            yield escape((undefined(name='page_number') if l_0_page_number is missing else l_0_page_number))
        else:
            pass
            yield 'Latest posts'
        yield '</span>\n'
        if (undefined(name='older_url') if l_0_older_url is missing else l_0_older_url):
            pass
            yield '<a rel="next" href="'
            yield escape((undefined(name='older_url') if l_0_older_url is missing else l_0_older_url))
            yield '">Older posts →</a>'
        else:
            pass
            yield '<span></span>'
        yield '</nav>\n'

blocks = {'main': block_main}
debug_info = '1=13&2=16&3=24&4=38&5=46&6=49&8=51&11=54&12=58&14=61&16=64&17=73&18=81'