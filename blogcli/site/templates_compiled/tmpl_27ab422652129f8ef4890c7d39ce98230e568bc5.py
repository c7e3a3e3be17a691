from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'post.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'post.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_card(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_post = resolve('post')
    l_0_canonical = resolve('canonical')
    l_0_description = resolve('description')
    l_0_site = resolve('site')
    pass
    yield '<meta property="og:type" content="article">\n<meta property="og:title" content="'
    yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'title'))
    yield '">\n<meta property="og:url" content="'
    yield escape((undefined(name='canonical') if l_0_canonical is missing else l_0_canonical))
    yield '">\n'
    if (undefined(name='description') if l_0_description is missing else l_0_description):
        pass
        yield '<meta property="og:description" content="'
        yield escape((undefined(name='description') if l_0_description is missing else l_0_description))
        yield '">\n'
    yield '<meta property="og:site_name" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'title'))
    yield '">\n<meta property="og:locale" content="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'locale'))
    yield '">\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'image'):
        pass
        yield '<meta property="og:image" content="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'image'))
        yield '">\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'date'):
        pass
        yield '<meta property="article:published_time" content="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'date'))
        yield '">\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'updated'):
        pass
        yield '<meta property="article:modified_time" content="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'updated'))
        yield '">\n'
    for l_1_tag in environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'tags'):
        _loop_vars = {}
        pass
        yield '<meta property="article:tag" content="'
        yield escape(environment.getattr(l_1_tag, 'name'))
        yield '">\n'
    l_1_tag = missing
    yield '<meta name="twitter:card" content="'
    yield escape(('summary_large_image' if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'image') else 'summary'))
    yield '">\n<meta name="twitter:title" content="'
    yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'title'))
    yield '">\n'
    if (undefined(name='description') if l_0_description is missing else l_0_description):
        pass
        yield '<meta name="twitter:description" content="'
        yield escape((undefined(name='description') if l_0_description is missing else l_0_description))
        yield '">\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'image'):
        pass
        yield '<meta name="twitter:image" content="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'image'))
        yield '">\n'
    yield '<script type="application/ld+json">'
    yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'json_ld_html'))
    yield '</script>\n'

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_series = resolve('series')
    pass
    if (undefined(name='series') if l_0_series is missing else l_0_series):
        pass
        yield '<link rel="alternate" type="application/atom+xml" title="'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
        yield '" href="'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'url'))
        yield 'feed.xml">\n'
        if environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'prev'):
            pass
            yield '<link rel="prev" href="'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'prev'), 'url'))
            yield '">'
        if environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'next'):
            pass
            yield '<link rel="next" href="'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'next'), 'url'))
            yield '">'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_series = resolve('series')
    l_0_post = resolve('post')
    l_0_teaser = resolve('teaser')
    try:
        t_1 = environment.filters['safe']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'safe' found.")
    try:
        t_2 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    yield '<article class="post">\n  <header class="post-header">\n'
    if (undefined(name='series') if l_0_series is missing else l_0_series):
        pass
        yield '    <p class="kicker"><a href="'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'url'))
        yield '">'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
        yield '</a> · <span class="part">Part '
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'part'))
        yield ' of '
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'count'))
        yield '</span></p>\n'
    yield '    <h1>'
    yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'title'))
    yield '</h1>\n    <p class="meta">\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'draft'):
        pass
        yield '<span class="badge">Draft</span>'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'date'):
        pass
        yield '<time datetime="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'date'))
        yield '">'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'date_text'))
        yield '</time> · '
    yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'minutes'))
    yield ' min read\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'updated'):
        pass
        yield ' · updated <time datetime="'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'updated'))
        yield '">'
        yield escape(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'updated_text'))
        yield '</time>'
    yield '    </p>\n  </header>\n  <div class="content">\n'
    yield escape(t_1(environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'html')))
    yield '\n  </div>\n'
    if (undefined(name='teaser') if l_0_teaser is missing else l_0_teaser):
        pass
        yield '  <aside class="teaser" aria-label="What comes next">\n'
        if environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'kept_by'):
            pass
            yield '    <p class="label">Promised next, and kept</p>\n    <p><a class="kept" href="'
            yield escape(environment.getattr(environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'kept_by'), 'url'))
            yield '">'
            yield escape(t_2(environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'text')[:1]))
            yield escape(environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'text')[1:])
            yield ' <span aria-hidden="true">→</span></a></p>\n'
        else:
            pass
            yield '    <p class="label">Coming next</p>\n    <p>'
            yield escape(t_2(environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'text')[:1]))
            yield escape(environment.getattr((undefined(name='teaser') if l_0_teaser is missing else l_0_teaser), 'text')[1:])
            yield '</p>\n'
        yield '  </aside>\n'
    if environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'tags'):
        pass
        yield '  <ul class="tags" aria-label="Tags">\n'
        for l_1_tag in environment.getattr((undefined(name='post') if l_0_post is missing else l_0_post), 'tags'):
            _loop_vars = {}
            pass
            yield '<li><a href="'
            yield escape(environment.getattr(l_1_tag, 'url'))
            yield '">'
            yield escape(environment.getattr(l_1_tag, 'name'))
            yield '</a></li>'
        l_1_tag = missing
        yield '  </ul>\n'
    if (undefined(name='series') if l_0_series is missing else l_0_series):
        pass
        yield '  <nav class="series-nav" aria-label="'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
        yield '">\n'
        if environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'prev'):
            pass
            yield '    <a class="prev" rel="prev" href="'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'prev'), 'url'))
            yield '"><span class="dir">← Previous part</span><span class="name">'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'prev'), 'title'))
            yield '</span></a>\n'
        else:
            pass
            yield '<span></span>'
        if environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'next'):
            pass
            yield '    <a class="next" rel="next" href="'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'next'), 'url'))
            yield '"><span class="dir">Next part →</span><span class="name">'
            yield escape(environment.getattr(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'next'), 'title'))
            yield '</span></a>\n'
        else:
            pass
            yield '<span></span>'
        yield '  </nav>\n  <p class="series-all"><a href="'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'url'))
        yield '">All parts of '
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
        yield '</a></p>\n'
    yield '</article>\n'
    template = environment.get_template('_comments.html', 'post.html')
    gen = template.root_render_func(template.new_context(context.get_all(), True, {}))
    try:
        for event in gen:
            yield event
    finally: gen.close()

blocks = {'card': block_card, 'head': block_head, 'main': block_main}
debug_info = '1=12&2=17&4=30&5=32&6=34&7=37&9=40&10=42&11=44&12=47&14=49&15=52&17=54&18=57&20=59&21=63&23=67&24=69&25=71&26=74&28=76&29=79&31=82&33=85&34=94&35=97&36=101&37=106&40=112&43=136&44=139&46=148&48=150&49=153&50=162&54=170&56=172&58=175&61=178&64=186&68=190&70=193&73=203&74=206&75=208&76=211&78=218&79=221&82=229&85=234'