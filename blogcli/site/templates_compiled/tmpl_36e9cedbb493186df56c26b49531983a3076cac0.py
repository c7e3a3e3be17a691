from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_macros.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_entry = l_0_brief = missing
    pass
    def macro(l_1_item):
        t_1 = []
        if l_1_item is missing:
            l_1_item = undefined("parameter 'item' was not provided", name='item')
        pass
        t_1.append(
            '<article class="entry">\n',
        )
        if environment.getattr(l_1_item, 'series'):
            pass
            t_1.extend((
                '<p class="kicker">',
                escape(environment.getattr(l_1_item, 'series')),
            ))
            if environment.getattr(l_1_item, 'part'):
                pass
                t_1.extend((
                    ' · Part ',
                    escape(environment.getattr(l_1_item, 'part')),
                ))
            t_1.append(
                '</p>',
            )
        t_1.extend((
            '  <h2><a href="',
            escape(environment.getattr(l_1_item, 'url')),
            '">',
            escape(environment.getattr(l_1_item, 'title')),
            '</a></h2>\n  <p class="meta">\n',
        ))
        if environment.getattr(l_1_item, 'draft'):
            pass
            t_1.append(
                '<span class="badge">Draft</span>',
            )
        if environment.getattr(l_1_item, 'date'):
            pass
            t_1.extend((
                '<time datetime="',
                escape(environment.getattr(l_1_item, 'date')),
                '">',
                escape(environment.getattr(l_1_item, 'date_text')),
                '</time> · ',
            ))
        t_1.extend((
            escape(environment.getattr(l_1_item, 'minutes')),
            ' min read\n  </p>\n',
        ))
        if environment.getattr(l_1_item, 'summary'):
            pass
            t_1.extend((
                '<p class="summary">',
                escape(environment.getattr(l_1_item, 'summary')),
                '</p>',
            ))
        if environment.getattr(l_1_item, 'tags'):
            pass
            t_1.append(
                '  <ul class="tags" aria-label="Tags">\n',
            )
            for l_2_tag in environment.getattr(l_1_item, 'tags'):
                _loop_vars = {}
                pass
                t_1.extend((
                    '<li><a href="',
                    escape(environment.getattr(l_2_tag, 'url')),
                    '">',
                    escape(environment.getattr(l_2_tag, 'name')),
                    '</a></li>',
                ))
            l_2_tag = missing
            t_1.append(
                '  </ul>\n',
            )
        t_1.append(
            '</article>\n',
        )
        return concat(t_1)
    context.exported_vars.add('entry')
    context.vars['entry'] = l_0_entry = Macro(environment, macro, 'entry', ('item',), False, False, False, context.eval_ctx.autoescape)
    yield '\n'
    def macro(l_1_item):
        t_2 = []
        if l_1_item is missing:
            l_1_item = undefined("parameter 'item' was not provided", name='item')
        pass
        t_2.append(
            '<li>\n',
        )
        if environment.getattr(l_1_item, 'date'):
            pass
            t_2.extend((
                '<time datetime="',
                escape(environment.getattr(l_1_item, 'date')),
                '">',
                escape(environment.getattr(l_1_item, 'date_text')),
                '</time>',
            ))
        t_2.extend((
            '  <div class="brief">\n    <a href="',
            escape(environment.getattr(l_1_item, 'url')),
            '">',
            escape(environment.getattr(l_1_item, 'title')),
            '</a>',
        ))
        if environment.getattr(l_1_item, 'draft'):
            pass
            t_2.append(
                ' <span class="badge">Draft</span>',
            )
        t_2.append(
            ' ',
        )
        if environment.getattr(l_1_item, 'series_title'):
            pass
            t_2.extend((
                '<span class="in-series">Part ',
                escape(environment.getattr(l_1_item, 'part')),
                ' of <a href="',
                escape(environment.getattr(l_1_item, 'series_url')),
                '">',
                escape(environment.getattr(l_1_item, 'series_title')),
                '</a></span>',
            ))
        t_2.append(
            '  </div>\n</li>\n',
        )
        return concat(t_2)
    context.exported_vars.add('brief')
    context.vars['brief'] = l_0_brief = Macro(environment, macro, 'brief', ('item',), False, False, False, context.eval_ctx.autoescape)

blocks = {}
debug_info = '2=12&4=20&5=37&7=42&8=47&10=60&11=67&13=72&19=93&21=101&23=112&24=125'