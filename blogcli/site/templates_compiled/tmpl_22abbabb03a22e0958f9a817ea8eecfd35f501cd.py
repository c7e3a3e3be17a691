from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'series.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    pass
    parent_template = environment.get_template('base.html', 'series.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    yield from parent_template.root_render_func(context)

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_series = resolve('series')
    pass
    yield '<link rel="alternate" type="application/atom+xml" title="'
    yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
    yield '" href="'
    yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'feed_url'))
    yield '">\n'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_series = resolve('series')
    l_0_parts = resolve('parts')
    l_0_coming_parts = resolve('coming_parts')
    l_0_coming = resolve('coming')
    l_0_site = resolve('site')
    try:
        t_1 = environment.filters['sort']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No filter named 'sort' found.")
    try:
        t_2 = environment.filters['upper']
    except KeyError:
        @internalcode
        def t_2(*unused):
            raise TemplateRuntimeError("No filter named 'upper' found.")
    pass
    yield '<header class="series-header">\n  <p class="kicker">A series in '
    yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'count'))
    yield ' part'
    if (environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'count') != 1):
        pass
        yield 's'
    yield ' so far</p>\n  <h1 class="page-title">'
    yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'title'))
    yield '</h1>\n'
    if environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'description'):
        pass
        yield '<p class="intro">'
        yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'description'))
        yield '</p>'
    yield '</header>\n<ol class="parts">\n'
    for l_1_part in t_1(environment, ((undefined(name='parts') if l_0_parts is missing else l_0_parts) + ((undefined(name='coming_parts') if l_0_coming_parts is missing else l_0_coming_parts) or [])), attribute='number'):
        _loop_vars = {}
        pass
        if environment.getattr(l_1_part, 'coming'):
            pass
            yield '  <li class="coming"><span class="number">Part '
            yield escape(environment.getattr(l_1_part, 'number'))
            yield '</span> – coming'
            if environment.getattr(l_1_part, 'date'):
                pass
                yield ' <time datetime="'
                yield escape(environment.getattr(l_1_part, 'date'))
                yield '">'
                yield escape(environment.getattr(l_1_part, 'date_text'))
                yield '</time>'
            yield '</li>\n'
        else:
            pass
            yield '  <li>\n    <span class="number">Part '
            yield escape(environment.getattr(l_1_part, 'number'))
            yield '</span>\n    <a href="'
            yield escape(environment.getattr(l_1_part, 'url'))
            yield '">'
            yield escape(environment.getattr(l_1_part, 'title'))
            yield '</a>'
            if environment.getattr(l_1_part, 'draft'):
                pass
                yield ' <span class="badge">Draft</span>'
            if environment.getattr(l_1_part, 'date'):
                pass
                yield '<time datetime="'
                yield escape(environment.getattr(l_1_part, 'date'))
                yield '">'
                yield escape(environment.getattr(l_1_part, 'date_text'))
                yield '</time>'
            if environment.getattr(l_1_part, 'summary'):
                pass
                yield '<p class="summary">'
                yield escape(environment.getattr(l_1_part, 'summary'))
                yield '</p>'
            yield '  </li>\n'
    l_1_part = missing
    yield '</ol>\n'
    if (undefined(name='coming') if l_0_coming is missing else l_0_coming):
        pass
        yield '<aside class="teaser" aria-label="What comes next">\n  <p class="label">Coming next</p>\n  <p>'
        yield escape(t_2(environment.getattr((undefined(name='coming') if l_0_coming is missing else l_0_coming), 'text')[:1]))
        yield escape(environment.getattr((undefined(name='coming') if l_0_coming is missing else l_0_coming), 'text')[1:])
        yield '</p>\n</aside>\n'
    yield '<p class="meta"><a href="'
    yield escape(environment.getattr((undefined(name='series') if l_0_series is missing else l_0_series), 'feed_url'))
    yield '">Follow this series by feed</a> · <a href="'
    yield escape(environment.getattr((undefined(name='site') if l_0_site is missing else l_0_site), 'series_url'))
    yield '">all series</a></p>\n'

blocks = {'head': block_head, 'main': block_main}
debug_info = '1=12&2=17&3=27&5=32&7=58&8=64&9=66&12=72&13=75&14=78&17=91&18=93&19=100&20=107&25=115&28=118&31=122'