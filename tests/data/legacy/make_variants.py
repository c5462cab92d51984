# ruff: noqa: E501  (the CMS templates are kept as one line per element)
"""Make the derived files of the legacy corpus from the pages in pages/.

    python tests/data/legacy/make_variants.py

- html/: RECONSTRUCTIONS. A few pages wrapped in the page structure of common government and
  association CMS templates (navigation, breadcrumb, sidebar, footer, scripts, a header with
  the day the page was rendered). The markup is ours; the article text is the page's.
- gbk/: GB18030-encoded copies of a few text pages, as old Windows exports save them.
- fullwidth/ and traditional/: a few pages with full-width punctuation or in Traditional
  characters (OpenCC s2t), the annotation converted the same way.
"""

import json
from html import escape
from pathlib import Path

import opencc

HERE = Path(__file__).resolve().parent
PAGES = HERE / "pages"
HALF_TO_FULL = str.maketrans(
    {",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"}
)

GOV_TEMPLATE = """<!DOCTYPE html>
<!-- RECONSTRUCTION: government CMS page structure (TRS-like); article text from {url} -->
<html lang="zh-CN"><head><meta charset="utf-8">
<title>{title}_工作动态_市司法局</title>
<link rel="canonical" href="{url}">
<meta name="keywords" content="司法行政,律师工作">
<script src="/js/jquery.min.js"></script>
<script>var _hmt = _hmt || []; document.write('2026年12月2日 星期三');</script>
<style>.nav li{{float:left}}</style>
</head><body>
<div class="top"><span class="today">今天是:2026年12月2日 星期三</span> <a href="/">设为首页</a> <a href="#">加入收藏</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/gzdt/">工作动态</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/bsfw/">办事服务</a></li></ul></div>
<div class="location">当前位置:<a href="/">首页</a> &gt; <a href="/gzdt/">工作动态</a> &gt; 正文</div>
<div class="main"><div class="sidebar"><h3>热点新闻</h3><ul><li><a href="/a/1.html">全市司法行政工作会议召开</a> 2025-01-08</li><li><a href="/a/2.html">市律协召开理事会</a> 2024-12-30</li></ul></div>
<div class="article"><h1>{title}</h1>
<div class="info">{meta} 字号:<a href="#">大</a> <a href="#">中</a> <a href="#">小</a></div>
<div class="TRS_Editor">{body}<p><img src="/uploads/20261201/img_20261201_093000.jpg" alt=""></p></div>
<div class="tools"><a href="javascript:window.print()">打印本页</a> <a href="javascript:window.close()">关闭窗口</a> 分享到:</div>
<div class="pager">上一篇:<a href="/a/3.html">关于开展律师执业年度考核的通知</a><br>下一篇:<a href="/a/4.html">市司法局召开党委会</a></div>
</div></div>
<div class="footer">版权所有:市司法局 地址:人民路1号 电话:0000-12345678 ICP备案号:京ICP备05000000号 技术支持:某某科技</div>
<script>document.getElementById('x');</script>
</body></html>
"""

ASSOCIATION_TEMPLATE = """<!DOCTYPE html>
<!-- RECONSTRUCTION: bar association CMS page structure (dedecms-like); article text from {url} -->
<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>{title} - 协会动态 - 律师协会</title>
<script type="text/javascript" src="/templets/js/common.js"></script>
</head><body>
<div id="header"><div class="date">2026年12月02日</div><img src="/templets/images/logo.png" alt="律师协会"></div>
<div id="menu"><a href="/">网站首页</a> | <a href="/xhdt/">协会动态</a> | <a href="/tzgg/">通知公告</a> | <a href="/djgz/">党建工作</a></div>
<div class="place">首页 &gt; 新闻中心 &gt; 协会动态</div>
<table width="960"><tr><td class="left" width="240"><div class="title">相关阅读</div>
<ul><li><a href="/xhdt/2.html">青年律师培训班开班</a></li><li><a href="/xhdt/3.html">律师协会召开会长办公会</a></li></ul></td>
<td class="right"><div class="arc_title">{title}</div>
<div class="arc_info">{meta}</div>
<div class="arc_body">{body}</div>
<div class="arc_tools">【<a href="javascript:window.print();">打印本页</a>】【<a href="javascript:window.close();">关闭窗口</a>】</div>
</td></tr></table>
<div id="footer">Copyright © 律师协会 版权所有 地址:某市某路 电话:0000-7654321 备案号:粤ICP备16000000号</div>
</body></html>
"""

# Titles for the reconstructions of pages whose copy starts with the body.
TITLES = {
    "sichuan-press-conference": "四川省律师协会召开2022年度第二次新闻发布会",
    "huainan-seminar": "全市律师业务研讨会召开",
}
# page id, template, metadata line as the reconstructed CMS prints it, encoding
RECONSTRUCTIONS = [
    ("shsfj-songjiang", GOV_TEMPLATE, "发布时间:2024-10-17 来源:市司法局", "utf-8"),
    (
        "shls-centenary",
        ASSOCIATION_TEMPLATE,
        "来源:上海市律师协会发布时间:2012-05-17 09:30作者:宣传部浏览次数:1234",
        "utf-8",
    ),
    (
        "foshan-nanhai-visit",
        ASSOCIATION_TEMPLATE,
        "发布时间: 2015-11-17 00:00:00  点击:88次",
        "gb18030",
    ),
    (
        "jinshan-spring-trad",
        GOV_TEMPLATE,
        "日期:2010-02-01 作者:金山區律師工作委員會 閱讀:3,068次",
        "utf-8",
    ),
    ("sichuan-press-conference", GOV_TEMPLATE, "浏览次数:456", "utf-8"),
    ("huainan-seminar", ASSOCIATION_TEMPLATE, "发布时间:2010-09-18 浏览:1097", "gb18030"),
]
GBK_COPIES = ["shls-centenary", "tongji-baotou", "rednet-changsha-festival", "quanzhou-election"]
FULLWIDTH = ["shls-east-china-forum", "sichuan-press-conference", "huainan-seminar"]
TRADITIONAL = ["shls-centenary", "gansu-longnan", "shls-women-lawyers"]


def load(page_id):
    text = (PAGES / f"{page_id}.txt").read_text(encoding="utf-8")
    annotation = json.loads((PAGES / f"{page_id}.json").read_text(encoding="utf-8"))
    return text, annotation


def save(folder, name, data: bytes, annotation):
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(data)
    stem = name.rsplit(".", 1)[0]
    (folder / f"{stem}.json").write_text(
        json.dumps(annotation, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )


def body_paragraphs(text, annotation):
    """The article's paragraphs without the lines the template prints itself."""
    skip = {annotation["title"]} if annotation["title"] else set()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    body = [line for line in lines if line not in skip and len(line) > 30]
    return "".join(f"<p>{escape(line)}</p>" for line in body)


def convert(value, converter):
    if isinstance(value, str):
        return converter(value)
    if isinstance(value, list):
        return [convert(item, converter) for item in value]
    if isinstance(value, dict):
        return {
            key: (item if key == "url" else convert(item, converter)) for key, item in value.items()
        }
    return value


def main():
    for page_id, template, meta, charset in RECONSTRUCTIONS:
        text, annotation = load(page_id)
        title = annotation["title"] or TITLES[page_id]
        expected = dict(annotation, reconstruction=True, title=title)
        for label, field in (("来源", "source"), ("作者", "author")):
            if label not in meta:
                expected[field] = annotation[field] if page_id != "shsfj-songjiang" else None
        if page_id == "shsfj-songjiang":
            expected["source"] = "市司法局"
        if page_id == "shls-centenary":
            expected["source"], expected["author"] = "上海市律师协会", "宣传部"
        html = template.format(
            url=annotation["url"],
            title=escape(title),
            meta=escape(meta),
            body=body_paragraphs(text, annotation),
            charset=charset,
        )
        save(HERE / "html", f"{page_id}.html", html.encode(charset), expected)
    for page_id in GBK_COPIES:
        text, annotation = load(page_id)
        save(HERE / "gbk", f"{page_id}.txt", text.encode("gb18030"), annotation)
    for page_id in FULLWIDTH:
        text, annotation = load(page_id)
        save(
            HERE / "fullwidth",
            f"{page_id}.txt",
            text.translate(HALF_TO_FULL).encode(),
            convert(annotation, lambda s: s.translate(HALF_TO_FULL)),
        )
    to_traditional = opencc.OpenCC("s2t").convert
    for page_id in TRADITIONAL:
        text, annotation = load(page_id)
        save(
            HERE / "traditional",
            f"{page_id}.txt",
            to_traditional(text).encode(),
            convert(annotation, to_traditional),
        )


if __name__ == "__main__":
    main()
