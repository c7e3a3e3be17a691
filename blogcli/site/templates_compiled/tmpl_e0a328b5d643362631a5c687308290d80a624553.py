from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'stats.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    parent_template = None
    l_0_plural = l_0_number = l_0_days = missing
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    parent_template = environment.get_template('base.html', 'stats.html')
    for name, parent_block in parent_template.blocks.items():
        context.blocks.setdefault(name, []).append(parent_block)
    def macro(l_1_n, l_1_word):
        t_2 = []
        if l_1_n is missing:
            l_1_n = undefined("parameter 'n' was not provided", name='n')
        if l_1_word is missing:
            l_1_word = undefined("parameter 'word' was not provided", name='word')
        pass
        t_2.extend((
            escape(context.call(environment.getattr('{:,}', 'format'), l_1_n)),
            ' ',
            escape(l_1_word),
        ))
        if (l_1_n != 1):
            pass
            t_2.append(
                's',
            )
        return concat(t_2)
    context.exported_vars.add('plural')
    context.vars['plural'] = l_0_plural = Macro(environment, macro, 'plural', ('n', 'word'), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_n):
        t_3 = []
        if l_1_n is missing:
            l_1_n = undefined("parameter 'n' was not provided", name='n')
        pass
        if t_1(l_1_n):
            pass
            t_3.append(
                '–',
            )
        else:
            pass
            t_3.append(
                escape(context.call(environment.getattr('{:,.0f}', 'format'), l_1_n)),
            )
        return concat(t_3)
    context.exported_vars.add('number')
    context.vars['number'] = l_0_number = Macro(environment, macro, 'number', ('n',), False, False, False, context.eval_ctx.autoescape)
    def macro(l_1_n):
        t_4 = []
        if l_1_n is missing:
            l_1_n = undefined("parameter 'n' was not provided", name='n')
        pass
        if t_1(l_1_n):
            pass
            t_4.append(
                '–',
            )
        else:
            pass
            t_4.append(
                escape(context.call(environment.getattr('{:,.1f}', 'format'), l_1_n)),
            )
        return concat(t_4)
    context.exported_vars.add('days')
    context.vars['days'] = l_0_days = Macro(environment, macro, 'days', ('n',), False, False, False, context.eval_ctx.autoescape)
    yield from parent_template.root_render_func(context)

def block_head(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    pass
    yield '<style>\n.stats-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 1.2rem; }\n.stats-page dt { font-weight: bold; }\n.stats-page dd { margin: 0; }\n.stats-page figure { margin: 1.5rem 0; }\n.stats-page figcaption { font-size: 0.9rem; color: var(--muted); }\n.stats-page td { font-variant-numeric: tabular-nums; }\n.stats-page th small { font-weight: normal; color: var(--muted); }\n</style>\n'

def block_main(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    _block_vars = {}
    l_0_stats = resolve('stats')
    l_0_start = resolve('start')
    l_0_start_text = resolve('start_text')
    l_0_end = resolve('end')
    l_0_end_text = resolve('end_text')
    l_0_plural = resolve('plural')
    l_0_number = resolve('number')
    l_0_missed_since_text = resolve('missed_since_text')
    l_0_days = resolve('days')
    l_0_heatmap = resolve('heatmap')
    l_0_bars = resolve('bars')
    l_0_totals = missing
    try:
        t_1 = environment.tests['none']
    except KeyError:
        @internalcode
        def t_1(*unused):
            raise TemplateRuntimeError("No test named 'none' found.")
    pass
    yield '<h1 class="page-title">Stats</h1>\n'
    l_0_totals = environment.getattr((undefined(name='stats') if l_0_stats is missing else l_0_stats), 'totals')
    _block_vars['totals'] = l_0_totals
    if (undefined(name='start') if l_0_start is missing else l_0_start):
        pass
        yield '<p class="meta">From <time datetime="'
        yield escape((undefined(name='start') if l_0_start is missing else l_0_start))
        yield '">'
        yield escape((undefined(name='start_text') if l_0_start_text is missing else l_0_start_text))
        yield '</time> to <time datetime="'
        yield escape((undefined(name='end') if l_0_end is missing else l_0_end))
        yield '">'
        yield escape((undefined(name='end_text') if l_0_end_text is missing else l_0_end_text))
        yield '</time>: '
        yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='stats') if l_0_stats is missing else l_0_stats), 'window'), 'weeks'), 'week', _block_vars=_block_vars))
        yield '.</p>\n'
    else:
        pass
        yield '<p class="empty">Nothing published yet.</p>\n'
    yield '<div class="content stats-page">\n<dl class="stats">\n  <dt>Published</dt>\n  <dd>'
    yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'posts'), 'post', _block_vars=_block_vars))
    yield ', '
    yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'words'), 'total'), 'word', _block_vars=_block_vars))
    yield ': '
    yield escape(context.call((undefined(name='number') if l_0_number is missing else l_0_number), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'words'), 'per_week'), _block_vars=_block_vars))
    yield ' a week, '
    yield escape(context.call((undefined(name='number') if l_0_number is missing else l_0_number), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'words'), 'median_per_post'), _block_vars=_block_vars))
    yield ' in the median post</dd>\n  <dt>Streak</dt>\n  <dd>The longest run of weeks with a post: '
    yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'streak'), 'longest'), 'week', _block_vars=_block_vars))
    yield '; now: '
    yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'streak'), 'current'), 'week', _block_vars=_block_vars))
    yield ' ('
    yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'streak'), 'kept'), _block_vars=_block_vars))
    yield ' of '
    yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'streak'), 'slots'), 'week', _block_vars=_block_vars))
    yield ' with a post'
    if (undefined(name='missed_since_text') if l_0_missed_since_text is missing else l_0_missed_since_text):
        pass
        yield '; missed since the week of '
        yield escape((undefined(name='missed_since_text') if l_0_missed_since_text is missing else l_0_missed_since_text))
    yield ')</dd>\n  <dt>Promises</dt>\n  <dd>'
    if environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'made'):
        pass
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'made'), _block_vars=_block_vars))
        yield ' made: '
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'kept_on_time'), _block_vars=_block_vars))
        yield ' kept on time, '
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'kept_late'), _block_vars=_block_vars))
        yield ' kept late, '
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'owed'), _block_vars=_block_vars))
        yield ' still owed'
        if environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'planned'):
            pass
            yield ', '
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'planned'), _block_vars=_block_vars))
            yield ' planned'
        if (not t_1(environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'average_days_to_keep'))):
            pass
            yield '; kept in '
            yield escape(context.call((undefined(name='days') if l_0_days is missing else l_0_days), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'promises'), 'average_days_to_keep'), _block_vars=_block_vars))
            yield ' days on average'
    else:
        pass
        yield 'none made'
    yield '</dd>\n  <dt>Drafts</dt>\n  <dd>'
    if environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'drafts'), 'waiting'):
        pass
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'drafts'), 'waiting'), _block_vars=_block_vars))
        yield ' waiting'
        if (not t_1(environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'drafts'), 'oldest_days'))):
            pass
            yield ', the oldest '
            yield escape(context.call((undefined(name='plural') if l_0_plural is missing else l_0_plural), environment.getattr(environment.getattr((undefined(name='totals') if l_0_totals is missing else l_0_totals), 'drafts'), 'oldest_days'), 'day', _block_vars=_block_vars))
            yield ' old'
    else:
        pass
        yield 'none waiting'
    yield '</dd>\n</dl>\n\n'
    if environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'highest'):
        pass
        yield '<figure class="chart">\n<svg role="img" aria-labelledby="heatmap-title" viewBox="0 0 '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'width'))
        yield ' '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'height'))
        yield '" width="100%" font-size="10" fill="currentColor">\n<title id="heatmap-title">Words published each day, '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'first'))
        yield ' to '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'last'))
        yield '; the most in a day: '
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'highest'), _block_vars=_block_vars))
        yield '</title>\n'
        for l_1_month in environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'months'):
            _loop_vars = {}
            pass
            yield '<text x="'
            yield escape(environment.getattr(l_1_month, 'x'))
            yield '" y="10">'
            yield escape(environment.getattr(l_1_month, 'text'))
            yield '</text>\n'
        l_1_month = missing
        for l_1_day in environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'days'):
            _loop_vars = {}
            pass
            yield '<text x="0" y="'
            yield escape(environment.getattr(l_1_day, 'y'))
            yield '">'
            yield escape(environment.getattr(l_1_day, 'text'))
            yield '</text>\n'
        l_1_day = missing
        for l_1_cell in environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cells'):
            _loop_vars = {}
            pass
            yield '<rect x="'
            yield escape(environment.getattr(l_1_cell, 'x'))
            yield '" y="'
            yield escape(environment.getattr(l_1_cell, 'y'))
            yield '" width="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cell'))
            yield '" height="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cell'))
            yield '" rx="2" fill-opacity="'
            yield escape(environment.getattr(l_1_cell, 'opacity'))
            yield '"><title>'
            yield escape(environment.getattr(l_1_cell, 'label'))
            yield '</title></rect>\n'
        l_1_cell = missing
        for l_1_key in environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'legend'):
            _loop_vars = {}
            pass
            yield '<rect x="'
            yield escape(environment.getattr(l_1_key, 'x'))
            yield '" y="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'legend_y'))
            yield '" width="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cell'))
            yield '" height="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cell'))
            yield '" rx="2" fill-opacity="'
            yield escape(environment.getattr(l_1_key, 'opacity'))
            yield '"/>\n<text x="'
            yield escape(((environment.getattr(l_1_key, 'x') + environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'cell')) + 4))
            yield '" y="'
            yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'legend_text_y'))
            yield '">'
            yield escape(environment.getattr(l_1_key, 'text'))
            yield '</text>\n'
        l_1_key = missing
        yield '<text x="'
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'width'))
        yield '" y="'
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'legend_text_y'))
        yield '" text-anchor="end">words a day</text>\n</svg>\n<figcaption>Words published each day, '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'first'))
        yield ' to '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'last'))
        yield '</figcaption>\n</figure>\n\n<figure class="chart">\n<svg role="img" aria-labelledby="bars-title" viewBox="0 0 '
        yield escape(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'width'))
        yield ' '
        yield escape(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'height'))
        yield '" width="100%" font-size="10" fill="currentColor">\n<title id="bars-title">Words published each week, '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'first'))
        yield ' to '
        yield escape(environment.getattr((undefined(name='heatmap') if l_0_heatmap is missing else l_0_heatmap), 'last'))
        yield '; the most in a week: '
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'highest'), _block_vars=_block_vars))
        yield '</title>\n<text x="0" y="'
        yield escape((environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'top') + 8))
        yield '">'
        yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'highest'), _block_vars=_block_vars))
        yield '</text>\n<text x="0" y="'
        yield escape(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'base'))
        yield '">0</text>\n<line x1="'
        yield escape(environment.getattr(environment.getitem(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'bars'), 0), 'x'))
        yield '" y1="'
        yield escape((environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'base') + 0.5))
        yield '" x2="'
        yield escape(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'width'))
        yield '" y2="'
        yield escape((environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'base') + 0.5))
        yield '" stroke="currentColor" stroke-opacity="0.3"/>\n'
        for l_1_bar in environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'bars'):
            _loop_vars = {}
            pass
            if environment.getattr(l_1_bar, 'height'):
                pass
                yield '<rect x="'
                yield escape(environment.getattr(l_1_bar, 'x'))
                yield '" y="'
                yield escape(environment.getattr(l_1_bar, 'y'))
                yield '" width="'
                yield escape(environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'bar'))
                yield '" height="'
                yield escape(environment.getattr(l_1_bar, 'height'))
                yield '" fill-opacity="0.75"><title>'
                yield escape(environment.getattr(l_1_bar, 'label'))
                yield '</title></rect>\n'
        l_1_bar = missing
        for l_1_month in environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'months'):
            _loop_vars = {}
            pass
            yield '<text x="'
            yield escape(environment.getattr(l_1_month, 'x'))
            yield '" y="'
            yield escape((environment.getattr((undefined(name='bars') if l_0_bars is missing else l_0_bars), 'height') - 4))
            yield '">'
            yield escape(environment.getattr(l_1_month, 'text'))
            yield '</text>\n'
        l_1_month = missing
        yield '</svg>\n<figcaption>Words published each week</figcaption>\n</figure>\n'
    yield '\n'
    if environment.getattr((undefined(name='stats') if l_0_stats is missing else l_0_stats), 'series'):
        pass
        yield '<h2>Series</h2>\n<table>\n<caption>Writing, by series (a streak counts the slots of the series\' cadence kept in a row)</caption>\n<thead><tr><th scope="col">Series</th><th scope="col">Posts</th><th scope="col">Words</th><th scope="col">A week</th><th scope="col">Median</th><th scope="col">Longest streak</th><th scope="col">Current streak</th><th scope="col">Drafts waiting</th></tr></thead>\n<tbody>\n'
        for l_1_item in environment.getattr((undefined(name='stats') if l_0_stats is missing else l_0_stats), 'series'):
            _loop_vars = {}
            pass
            yield '<tr><th scope="row">'
            if environment.getattr(l_1_item, 'url'):
                pass
                yield '<a href="'
                yield escape(environment.getattr(l_1_item, 'url'))
                yield '">'
                yield escape(environment.getattr(l_1_item, 'title'))
                yield '</a>'
            else:
                pass
                yield escape(environment.getattr(l_1_item, 'title'))
            yield '<br><small>'
            yield escape(environment.getattr(l_1_item, 'cadence'))
            yield '</small></th><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(l_1_item, 'posts'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'words'), 'total'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call((undefined(name='number') if l_0_number is missing else l_0_number), environment.getattr(environment.getattr(l_1_item, 'words'), 'per_week'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call((undefined(name='number') if l_0_number is missing else l_0_number), environment.getattr(environment.getattr(l_1_item, 'words'), 'median_per_post'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'streak'), 'longest'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'streak'), 'current'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'drafts'), 'waiting'), _loop_vars=_loop_vars))
            yield '</td></tr>\n'
        l_1_item = missing
        yield '</tbody>\n</table>\n<table>\n<caption>Promises, by series</caption>\n<thead><tr><th scope="col">Series</th><th scope="col">Made</th><th scope="col">Kept on time</th><th scope="col">Kept late</th><th scope="col">Still owed</th><th scope="col">Planned</th><th scope="col">Days to keep</th></tr></thead>\n<tbody>\n'
        for l_1_item in environment.getattr((undefined(name='stats') if l_0_stats is missing else l_0_stats), 'series'):
            _loop_vars = {}
            pass
            yield '<tr><th scope="row">'
            yield escape(environment.getattr(l_1_item, 'title'))
            yield '</th><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'promises'), 'made'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'promises'), 'kept_on_time'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'promises'), 'kept_late'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'promises'), 'owed'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call(environment.getattr('{:,}', 'format'), environment.getattr(environment.getattr(l_1_item, 'promises'), 'planned'), _loop_vars=_loop_vars))
            yield '</td><td>'
            yield escape(context.call((undefined(name='days') if l_0_days is missing else l_0_days), environment.getattr(environment.getattr(l_1_item, 'promises'), 'average_days_to_keep'), _loop_vars=_loop_vars))
            yield '</td></tr>\n'
        l_1_item = missing
        yield '</tbody>\n</table>\n'
    yield '</div>\n'

blocks = {'head': block_head, 'main': block_main}
debug_info = '1=19&2=22&3=42&4=60&5=80&16=90&18=117&19=119&20=122&27=136&29=144&31=157&33=181&36=194&38=197&39=201&40=207&41=211&43=216&44=220&46=225&47=229&49=242&50=246&51=256&53=264&55=268&59=272&60=276&61=282&62=286&63=288&64=296&65=299&66=302&69=313&70=317&77=326&83=329&84=333&92=362&93=366'