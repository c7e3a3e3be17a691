from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'redirect.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_page_title = resolve('page_title')
    l_0_target_absolute = resolve('target_absolute')
    l_0_target = resolve('target')
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'))
    yield '">\n<head>\n<meta charset="utf-8">\n<title>'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</title>\n<link rel="canonical" href="'
    yield escape((undefined(name='target_absolute') if l_0_target_absolute is missing else l_0_target_absolute))
    yield '">\n<meta name="robots" content="noindex">\n<meta http-equiv="refresh" content="0; url='
    yield escape((undefined(name='target') if l_0_target is missing else l_0_target))
    yield '">\n<link rel="icon" href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'favicon_url'))
    yield '" type="image/svg+xml">\n</head>\n<body>\n<p>This post has moved to <a href="'
    yield escape((undefined(name='target') if l_0_target is missing else l_0_target))
    yield '">'
    yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
    yield '</a>.</p>\n</body>\n</html>\n'

blocks = {}
debug_info = '2=16&5=18&6=22&8=24&9=26&12=28'