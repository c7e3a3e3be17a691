from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = '_comments.html'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_comments = resolve('comments')
    pass
    if (undefined(name='comments') if l_0_comments is missing else l_0_comments):
        pass
        yield '<section class="comments" id="comments" aria-label="Comments">\n  <h2>'
        yield escape(environment.getattr((undefined(name='comments') if l_0_comments is missing else l_0_comments), 'count'))
        yield ' comment'
        if (environment.getattr((undefined(name='comments') if l_0_comments is missing else l_0_comments), 'count') != 1):
            pass
            yield 's'
        yield '</h2>\n  <ol class="comment-list">\n'
        def loop(reciter, loop_render_func, depth=0):
            t_1 = []
            l_1_loop = missing
            for l_1_comment, l_1_loop in LoopContext(reciter, undefined, loop_render_func, depth):
                _loop_vars = {}
                pass
                t_1.append(
                    '    <li class="comment',
                )
                if environment.getattr(l_1_comment, 'by_author'):
                    pass
                    t_1.append(
                        ' by-author',
                    )
                t_1.extend((
                    '" id="',
                    escape(environment.getattr(l_1_comment, 'anchor')),
                    '">\n      <p class="comment-meta"><span class="comment-author">',
                ))
                if environment.getattr(l_1_comment, 'url'):
                    pass
                    t_1.extend((
                        '<a href="',
                        escape(environment.getattr(l_1_comment, 'url')),
                        '" rel="nofollow ugc">',
                        escape(environment.getattr(l_1_comment, 'author')),
                        '</a>',
                    ))
                else:
                    pass
                    t_1.append(
                        escape(environment.getattr(l_1_comment, 'author')),
                    )
                t_1.append(
                    '</span>',
                )
                if environment.getattr(l_1_comment, 'by_author'):
                    pass
                    t_1.append(
                        ' <span class="badge">Author</span>',
                    )
                if environment.getattr(l_1_comment, 'date'):
                    pass
                    t_1.extend((
                        ' · <a href="#',
                        escape(environment.getattr(l_1_comment, 'anchor')),
                        '"><time datetime="',
                        escape(environment.getattr(l_1_comment, 'date')),
                        '">',
                        escape(environment.getattr(l_1_comment, 'date_text')),
                        '</time></a>',
                    ))
                t_1.append(
                    '</p>\n',
                )
                for l_2_paragraph in environment.getattr(l_1_comment, 'paragraphs'):
                    _loop_vars = {}
                    pass
                    t_1.extend((
                        '      <p>',
                        escape(l_2_paragraph),
                        '</p>\n',
                    ))
                l_2_paragraph = missing
                if environment.getattr(l_1_comment, 'replies'):
                    pass
                    t_1.extend((
                        '      <ol class="comment-replies">',
                        escape(context.call(l_1_loop, environment.getattr(l_1_comment, 'replies'), _loop_vars=_loop_vars)),
                        '</ol>\n',
                    ))
                t_1.append(
                    '    </li>\n',
                )
            return Markup(concat(t_1))
        yield loop(environment.getattr((undefined(name='comments') if l_0_comments is missing else l_0_comments), 'threads'), loop)
        yield '  </ol>\n'
        if environment.getattr((undefined(name='comments') if l_0_comments is missing else l_0_comments), 'pings'):
            pass
            yield '  <h3>Mentioned elsewhere</h3>\n  <ul class="pings">\n'
            for l_1_ping in environment.getattr((undefined(name='comments') if l_0_comments is missing else l_0_comments), 'pings'):
                _loop_vars = {}
                pass
                yield '    <li id="'
                yield escape(environment.getattr(l_1_ping, 'anchor'))
                yield '">'
                if environment.getattr(l_1_ping, 'url'):
                    pass
                    yield '<a href="'
                    yield escape(environment.getattr(l_1_ping, 'url'))
                    yield '" rel="nofollow ugc">'
                    yield escape(environment.getattr(l_1_ping, 'author'))
                    yield '</a>'
                else:
                    pass
                    yield escape(environment.getattr(l_1_ping, 'author'))
                if environment.getattr(l_1_ping, 'date'):
                    pass
                    yield ' · <time datetime="'
                    yield escape(environment.getattr(l_1_ping, 'date'))
                    yield '">'
                    yield escape(environment.getattr(l_1_ping, 'date_text'))
                    yield '</time>'
                yield '</li>\n'
            l_1_ping = missing
            yield '  </ul>\n'
        yield '</section>\n'

blocks = {}
debug_info = '1=12&3=15&5=21&6=30&7=40&8=76&9=81&11=85&12=89&5=96&17=98&20=101&21=105'