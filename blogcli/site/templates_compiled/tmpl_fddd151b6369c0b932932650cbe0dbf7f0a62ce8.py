from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'base.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_site = resolve('site')
    l_0_page_title = resolve('page_title')
    l_0_description = resolve('description')
    l_0_canonical = resolve('canonical')
    pass
    yield '<!doctype html>\n<html lang="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'language'))
    yield '">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>'
    if (undefined(name='page_title') if l_0_page_title is missing else l_0_page_title):
        pass
        yield escape((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title))
        yield ' · '
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</title>\n'
    if (undefined(name='description') if l_0_description is missing else l_0_description):
        pass
        yield '<meta name="description" content="'
        yield escape((undefined(name='description') if l_0_description is missing else l_0_description))
        yield '">\n'
    elif environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
        pass
        yield '<meta name="description" content="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '">\n'
    yield '<link rel="canonical" href="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n<link rel="icon" href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'favicon_url'))
    yield '" type="image/svg+xml">\n<link rel="stylesheet" href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'css_url'))
    yield '">\n<link rel="alternate" type="application/atom+xml" title="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '" href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'feed_url'))
    yield '">\n'
    yield from context.blocks['card'][0](context)
    yield from context.blocks['head'][0](context)
    yield '</head>\n<body>\n<a class="skip" href="#content">Skip to the text</a>\n<header class="site-header">\n  <div class="wrap">\n    <a class="site-title" href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'home_url'))
    yield '">'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '</a>\n    <nav class="site-nav" aria-label="Site">\n'
    for l_1_item in environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'menu'):
        _loop_vars = {}
        pass
        yield '      <a href="'
        yield escape(environment.getattr(l_1_item, 'url'))
        yield '">'
        yield escape(environment.getattr(l_1_item, 'title'))
        yield '</a>\n'
    l_1_item = missing
    yield '      <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'series_url'))
    yield '">Series</a>\n      <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'tags_url'))
    yield '">Tags</a>\n      <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'archive_url'))
    yield '">Archive</a>\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'stats_url'):
        pass
        yield '      <a href="'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'stats_url'))
        yield '">Stats</a>\n'
    yield '      <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'feed_url'))
    yield '">Feed</a>\n    </nav>\n  </div>\n</header>\n<main id="content" class="wrap">\n'
    yield from context.blocks['main'][0](context)
    yield '</main>\n<footer class="site-footer">\n  <div class="wrap">\n'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'):
        pass
        yield '<p>'
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description'))
        yield '</p>'
    yield '    <p>'
    if environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'author'):
        pass
        yield 'Written by '
        yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'author'))
        yield ' · '
    yield '<a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'feed_url'))
    yield '">Subscribe by feed</a></p>\n  </div>\n</footer>\n</body>\n</html>\n'

def block_card(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_page_title = resolve('page_title')
    l_0_site = resolve('site')
    l_0_canonical = resolve('canonical')
    l_0_description = resolve('description')
    pass
    yield '<meta property="og:type" content="website">\n<meta property="og:title" content="'
    yield escape(((undefined(name='page_title') if l_0_page_title is missing else l_0_page_title) or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title')))
    yield '">\n<meta property="og:url" content="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n'
    if ((undefined(name='description') if l_0_description is missing else l_0_description) or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')):
        pass
        yield '<meta property="og:description" content="'
        yield escape(((undefined(name='description') if l_0_description is missing else l_0_description) or environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'description')))
        yield '">\n'
    yield '<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n<meta property="og:locale" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'locale'))
    yield '">\n<meta name="twitter:card" content="summary">\n'

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass

blocks = {'card': block_card, 'head': block_head, 'main': block_main}
debug_info = '2=16&6=18&7=24&8=27&9=29&10=32&12=35&13=37&14=39&15=41&16=45&28=46&34=48&36=52&37=56&39=62&40=64&41=66&42=68&43=71&45=74&50=76&54=78&55=84&16=93&19=106&20=108&21=110&22=113&24=116&25=118&28=121&50=130'