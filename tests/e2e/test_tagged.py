#!/usr/bin/env python3
"""Tagged PDF (issue 16, point 2): python3 test_tagged.py CASE.

Renders the sample article and the sample newsletter and reads their structure back the way a
screen reader does: the structure tree with pikepdf (Debian's python3-pikepdf), each element's
text with poppler's `pdfinfo -struct-text`. What a reader must get: Document > one Art per
article, the headline as the one H1, the paragraphs as P in the article's order (across columns,
pages and a jump), the pictures as Figures whose /Alt is the image's alt, captions, and none of
the page furniture (running heads, folios, jump lines), which is marked as artifacts.
"""
import os, re, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

try:
    import pikepdf
except ImportError:
    # Debian's python3-pikepdf belongs to the system python; ctest may have found another.
    if os.path.exists('/usr/bin/python3') and os.path.realpath(sys.executable) != os.path.realpath('/usr/bin/python3'):
        os.execv('/usr/bin/python3', ['/usr/bin/python3'] + sys.argv)
    pikepdf = None

from harness import expect, fail, run, skip, qpdf_check_faults
if pikepdf is not None:
    from tagcheck import check_roles, check_unicode, elements

TRANG = os.environ.get('TRANG', 'trang')
SRC = os.environ.get('TRANG_SOURCE_DIR', os.path.join(os.path.dirname(__file__), '..', '..'))
SAMPLE = os.path.join(SRC, 'samples', 'can-tho', 'article.xml')
ISSUE = os.path.join(SRC, 'samples', 'newsletter', 'issue.xml')
CSS = os.path.join(SRC, 'stylesheets', 'newsletter.css')
TMP = tempfile.mkdtemp(prefix='trang-tagged-')

local = lambda tag: tag.rsplit('}', 1)[-1]


def squash(s):
    """Text without white space or hyphens: pdfinfo joins lines without a space and keeps
    line-end hyphens, so words are compared as one string of letters."""
    return re.sub(r'[\s\-\u00ad]+', '', s).lower()


def render(src, *extra, name='out.pdf'):
    out = os.path.join(TMP, name)
    p = run(TRANG, 'render', src, '-o', out, *extra)
    return out, p.stderr


def xml_text(e):
    return ' '.join(''.join(e.itertext()).split())


def article_blocks(path):
    """(headline, [paragraph texts], [(alt, caption)]) of an article file, in document order."""
    root = ET.parse(path).getroot()
    head = next((xml_text(e) for e in root.iter() if local(e.tag) == 'headline'), '')
    paras = [xml_text(e) for e in root.iter() if local(e.tag) == 'p' and xml_text(e)]
    figs = []
    for f in root.iter():
        if local(f.tag) == 'figure':
            img = next((e for e in f if local(e.tag) in ('image', 'img')), None)
            cap = next((xml_text(e) for e in f if local(e.tag) == 'caption'), '')
            figs.append((img.get('alt', '') if img is not None else '', cap))
    return head, paras, figs, squash(xml_text(root))


def struct_text(pdf):
    """The tree as pdfinfo -struct-text prints it: [(depth, role, text)] in tree order, text
    being the element's own text (its quoted lines)."""
    out = []
    for line in run('pdfinfo', '-struct-text', pdf).stdout.splitlines():
        depth = (len(line) - len(line.lstrip(' '))) // 2
        body = line.strip()
        if body.startswith('"'):
            if out:
                d, r, t = out[-1]
                out[-1] = (d, r, t + body.strip('"'))
        elif body:
            out.append((depth, body.split()[0], ''))
    return out


def arts(tree):
    """[(role, text)] of each Art, in order."""
    res = []
    for depth, role, text in tree:
        if role == 'Art':
            res.append([])
        elif res and depth >= 2:
            res[-1].append((role, text))
    return res


def check_catalog(pdf, headline):
    with pikepdf.open(pdf) as doc:
        root = doc.Root
        expect('/StructTreeRoot' in root, f'{pdf}: no StructTreeRoot')
        expect(bool(root.MarkInfo.get('/Marked', False)), 'MarkInfo /Marked is not true')
        expect(str(root.get('/Lang', '')) == 'vi', f'/Lang is {root.get("/Lang")!r}, not vi')
        expect(bool(root.ViewerPreferences.get('/DisplayDocTitle', False)), 'no DisplayDocTitle')
        expect(str(doc.docinfo.get('/Title', '')) == headline,
               f'title {doc.docinfo.get("/Title")!r} is not the headline')
        xmp = bytes(root.Metadata.read_bytes()).decode()
        expect(re.search(r'<pdfuaid:part>1</pdfuaid:part>', xmp), 'XMP has no pdfuaid:part 1')
        ET.fromstring(xmp[xmp.index('<x:xmpmeta'):xmp.index('</x:xmpmeta>') + len('</x:xmpmeta>')])
        top = root.StructTreeRoot.K
        expect(str(top.S) == '/Document', f'the root element is {top.S}, not Document')
    info = run('pdfinfo', pdf).stdout
    expect(re.search(r'Tagged:\s+yes', info), 'pdfinfo does not say Tagged: yes')
    fault = qpdf_check_faults(pdf)
    expect(fault is None, fault)


def check_marked_content(pdf):
    """Every text-showing and painting operator is inside an MCID or an artifact, never both
    nested; every MCID of a page is the ParentTree's and its element's, and back."""
    painting = {'Tj', 'TJ', "'", '"', 'Do', 'f', 'F', 'f*', 'S', 's', 'B', 'b', 'B*', 'b*', 'sh'}
    with pikepdf.open(pdf) as doc:
        st = doc.Root.StructTreeRoot
        nums = list(st.ParentTree.Nums)
        parent_tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        # (page objgen, MCID) -> element objgen, from the elements' /K
        owner = {}
        seen = set()

        def walk(node, page):
            if isinstance(node, pikepdf.Array):
                for x in node:
                    walk(x, page)
                return
            if isinstance(node, int) and not isinstance(node, bool):
                key = (page.objgen, int(node))
                expect(key not in owner, f'MCID {key} referenced twice')
                owner[key] = current[-1]
                return
            if not isinstance(node, pikepdf.Dictionary):
                return
            if node.get('/Type') == '/OBJR':
                objrs.append((current[-1], node.Obj.objgen))
                return
            if node.get('/Type') == '/MCR':
                key = (node.Pg.objgen, int(node.MCID))
                expect(key not in owner, f'MCID {key} referenced twice')
                owner[key] = current[-1]
                return
            if node.objgen in seen:
                fail(f'element {node.objgen} appears twice in the tree')
            seen.add(node.objgen)
            current.append(node.objgen)
            walk(node.get('/K', pikepdf.Array()), node.get('/Pg', page))
            current.pop()

        current, objrs = [None], []
        walk(st.K, None)
        # Each annotation's /StructParent leads back to the element whose OBJR names it.
        for page in doc.pages:
            for annot in page.obj.get('/Annots', pikepdf.Array()):
                key = int(annot.get('/StructParent', -1))
                expect(key in parent_tree and (parent_tree[key].objgen, annot.objgen) in objrs,
                       f'annotation {annot.objgen}: /StructParent {key} is not its Link element')
                expect(str(page.obj.get('/Tabs', '')) == '/S', 'a page with links has no /Tabs /S')
        mcids = 0
        for page in doc.pages:
            key = int(page.obj.StructParents)
            arr = parent_tree.get(key)
            expect(arr is not None, f'no ParentTree entry for StructParents {key}')
            stack, used = [], set()
            for operands, op in pikepdf.parse_content_stream(page):
                o = str(op)
                if o in ('BDC', 'BMC'):
                    tag = str(operands[0])
                    mcid = None
                    if o == 'BDC' and isinstance(operands[1], pikepdf.Dictionary) and '/MCID' in operands[1]:
                        mcid = int(operands[1].MCID)
                    marked = [t for t in stack if t[1] is not None or t[0] == '/Artifact']
                    if marked and (mcid is not None or tag == '/Artifact'):
                        fail(f'{tag} nested inside {marked[-1]} (Matterhorn 01-003/01-004)')
                    if mcid is not None:
                        expect(mcid not in used, f'MCID {mcid} used twice on a page')
                        used.add(mcid)
                        el = owner.get((page.obj.objgen, mcid))
                        expect(el is not None, f'MCID {mcid} of a page is in no element')
                        expect(mcid < len(arr) and arr[mcid].objgen == el,
                               f'ParentTree[{key}][{mcid}] is not the element holding MCID {mcid}')
                    stack.append((tag, mcid))
                elif o == 'EMC':
                    expect(stack, 'EMC without BDC/BMC')
                    stack.pop()
                elif o in painting:
                    expect(any(m is not None or t == '/Artifact' for t, m in stack),
                           f'{o} outside marked content (Matterhorn 01-005)')
            expect(not stack, f'{len(stack)} marked-content sequences left open at the end of a page')
            expect(len(used) == len(arr), f'page has {len(used)} MCIDs, its ParentTree array {len(arr)}')
            mcids += len(used)
        expect(len(owner) == mcids, f'the tree references {len(owner)} MCIDs, the pages hold {mcids}')
        return mcids


def figure_alts(pdf):
    with pikepdf.open(pdf) as doc:
        return [str(n.get('/Alt', '')) for n in elements(doc) if str(n.S) == '/Figure']


def check_reading(elems, path, where):
    """The text of an Art's elements in tree order is the article's text in order: every
    word, once, nothing between (a list's generated bullets and numbers, Lbl, aside)."""
    root = ET.parse(path).getroot()
    if not root.tag.endswith('article'):
        return  # NITF: its own element names; the model tests read it
    want = squash(' '.join(xml_text(e) for e in root if local(e.tag) != 'meta'))
    got = squash(''.join(t for r, t in elems if r != 'Lbl'))
    if got != want:
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        fail(f'{where}: the tree reads {got[max(0, at - 40):at + 40]!r}\n'
             f'where the article has {want[max(0, at - 40):at + 40]!r}')


def check_all(pdf, title, sources):
    """Every check of issue 16, point 4, on one file: catalog, marked content and ParentTree,
    roles, Unicode mapping, and each article's text in tree order."""
    check_catalog(pdf, title)
    n = check_marked_content(pdf)
    roles = check_roles(pdf)
    shown = check_unicode(pdf)
    a = arts(struct_text(pdf))
    expect(len(a) == len(sources), f'{len(a)} Art elements for {len(sources)} articles')
    for elems, src in zip(a, sources):
        check_reading(elems, src, os.path.basename(src))
    return n, roles, shown


def check_article(elems, path, where):
    """The elements of one Art against its article file: one H1 = the headline, the paragraphs
    as P in order, nothing from outside the article, figures' captions."""
    head, paras, figs, all_text = article_blocks(path)
    h1 = [t for r, t in elems if r == 'H1']
    expect(len(h1) == 1 and squash(h1[0]) == squash(head),
           f'{where}: H1 {h1!r}, headline {head!r}')
    ps = [squash(t) for r, t in elems if r == 'P']
    want = [squash(p) for p in paras]
    got = [p for p in ps if p in want]
    expect(got == want, f'{where}: the P elements read {len(got)} of the {len(want)} paragraphs '
                        f'in this order: {[want.index(p) for p in got]}')
    for r, t in elems:
        if r == 'Lbl':  # the generated bullet or number is no text of the article
            expect(re.fullmatch(r'\s*(•|\d+\.)\s*', t), f'{where}: Lbl {t!r}')
            continue
        expect(squash(t) in all_text, f'{where}: {r} holds text that is not the article\'s: {t[:80]!r}')
    caps = [squash(t) for r, t in elems if r == 'Caption']
    for alt, cap in figs:
        if cap:
            expect(squash(cap) in caps, f'{where}: no Caption {cap!r}')


# --- cases ------------------------------------------------------------------------------------

def sample_tree():
    head, paras, figs, _ = article_blocks(SAMPLE)
    for profile in ('screen', 'archive'):
        pdf, err = render(SAMPLE, '--profile', profile, name=f'sample-{profile}.pdf')
        n, roles, shown = check_all(pdf, head, [SAMPLE])
        expect(roles.get('H1') == 1 and roles.get('Caption', 0) >= len(figs), f'roles {roles}')
        tree = struct_text(pdf)
        expect(tree and tree[0][1] == 'Document', f'the tree does not start with Document: {tree[:1]}')
        a = arts(tree)
        expect(len(a) == 1, f'{len(a)} Art elements for one article')
        check_article(a[0], SAMPLE, profile)
        # Each figure is a Figure speaking for its picture and caption, holding the picture's
        # Figure: the outer /Alt is the alt text and the caption, the inner the alt text.
        alts = [squash(a) for a in figure_alts(pdf)]
        want = [squash(x) for alt, cap in figs for x in ('. '.join(t for t in (alt, cap) if t), alt)]
        expect(alts == want, f'Figure /Alt {alts}, want {want}')
        print(f'{profile}: {n} MCIDs, {len(paras)} paragraphs in order, {shown} codes mapped, '
              f'Figures {alts}')


def long_article_tree():
    """bench/'s 20-page article (the sample's body 33 times, its photos each time): every check
    of the sample, over 19 pages of columns."""
    d = tempfile.mkdtemp(dir=TMP)
    xml = open(SAMPLE, encoding='utf-8').read()
    a, b = xml.index('<body>') + len('<body>'), xml.index('</body>')
    src = os.path.join(d, 'article.xml')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(xml[:a] + xml[a:b] * 33 + xml[b:])
    for f in os.listdir(os.path.dirname(SAMPLE)):
        if f.endswith('.jpg'):
            os.symlink(os.path.join(os.path.abspath(os.path.dirname(SAMPLE)), f), os.path.join(d, f))
    head = article_blocks(SAMPLE)[0]
    pdf, _ = render(src, '--profile', 'archive', '--assets', os.path.abspath(os.path.dirname(SAMPLE)),
                    name='long.pdf')
    n, roles, shown = check_all(pdf, head, [src])
    pages = len(pikepdf.open(pdf).pages)
    expect(pages >= 15, f'the long article has {pages} pages')
    expect(roles.get('Figure') == 2 * 66 and roles.get('H1') == 1, f'roles {roles}')
    print(f'{pages} pages: {n} MCIDs, roles {roles}, {shown} codes mapped, text in order')


def sample_archive_claims_ua():
    pdf, _ = render(SAMPLE, '--profile', 'archive', name='archive.pdf')
    with pikepdf.open(pdf) as doc:
        xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    # PDF/A-2 predefines no pdfuaid schema: without the extension schema the claim breaks PDF/A.
    expect('<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>' in xmp,
           'the archive XMP claims pdfuaid without declaring its schema')
    expect('<pdfaid:part>2</pdfaid:part>' in xmp, 'the archive XMP lost pdfaid:part 2')
    # Level A: tagged, and every glyph's own ToUnicode text is what it stands for.
    expect('<pdfaid:conformance>A</pdfaid:conformance>' in xmp, 'the archive does not claim PDF/A-2a')
    expect(check_unicode(pdf) > 0, 'no text shown')
    gs = subprocess.run(['gs', '-q', '-o', '/dev/null', '-sDEVICE=nullpage', pdf],
                        capture_output=True, text=True)
    expect(gs.returncode == 0 and not gs.stdout.strip() and not gs.stderr.strip(),
           f'Ghostscript complains: {gs.stdout}{gs.stderr}')
    fault = qpdf_check_faults(pdf)
    expect(fault is None, fault)
    # Untagged, it is level B, and says nothing of PDF/UA.
    plain, _ = render(SAMPLE, '--profile', 'archive', '--no-tags', name='archive-plain.pdf')
    with pikepdf.open(plain) as doc:
        xmp = bytes(doc.Root.Metadata.read_bytes()).decode()
    expect('<pdfaid:conformance>B</pdfaid:conformance>' in xmp and 'pdfuaid:part' not in xmp,
           'the untagged archive does not claim PDF/A-2b alone')
    print('archive XMP: PDF/A-2a, pdfuaid part 1 with its extension schema; gs and qpdf silent; '
          '2b with --no-tags')


def newsletter_tree():
    pdf, _ = render(ISSUE, '--stylesheet', CSS, name='newsletter.pdf')
    issue = ET.parse(ISSUE).getroot()
    srcs = [os.path.join(os.path.dirname(ISSUE), e.get('src')) for e in issue if local(e.tag) == 'article']
    n, roles, shown = check_all(pdf, str(pikepdf.open(pdf).docinfo.get('/Title', '')), srcs)
    # The issue's lists and pull quote: labels beside their bodies, a BlockQuote.
    expect(roles.get('Lbl', 0) == roles.get('LBody', 0) > 0, f'list labels: {roles}')
    expect(roles.get('BlockQuote', 0) >= 1, f'no BlockQuote for the pull quote: {roles}')
    tree = struct_text(pdf)
    a = arts(tree)
    expect(len(a) == len(srcs), f'{len(a)} Art elements for {len(srcs)} articles')
    for elems, src in zip(a, srcs):
        if src.endswith('.xml') and ET.parse(src).getroot().tag.endswith('article'):
            check_article(elems, src, os.path.basename(src))
        else:
            expect(sum(1 for r, _ in elems if r == 'H1') == 1, f'{src}: not one H1')
    # Furniture: running heads, folios and jump lines are artifacts, in no element.
    all_text = ' '.join(t for _, _, t in tree)
    for furniture in ('Tiếp theo trang', 'Tiếp theo từ trang', 'Bản tin ·'):
        expect(furniture not in all_text, f'"{furniture}" is in the structure tree, not an artifact')
    page_texts = [run('pdftotext', '-f', str(i), '-l', str(i), pdf, '-').stdout
                  for i in range(1, 1 + len(pikepdf.open(pdf).pages))]
    expect(any('Tiếp theo trang' in t for t in page_texts), 'the newsletter has no jump line to check')
    print(f'{len(a)} Art elements, each article read in order; {n} MCIDs; {shown} codes mapped; '
          f'roles {roles}; furniture is artifacts')


def jumped_article_is_one_art():
    """The lead story starts on page 1 and jumps to a back page: one Art, whose P elements hold
    marked content on both pages and read on across the jump."""
    pdf, _ = render(ISSUE, '--stylesheet', CSS, name='newsletter.pdf')
    with pikepdf.open(pdf) as doc:
        page_no = {p.obj.objgen: i + 1 for i, p in enumerate(doc.pages)}
        arts_ = list(doc.Root.StructTreeRoot.K.K)

        def pages_of(n, page=None, out=None):
            out = set() if out is None else out
            if isinstance(n, pikepdf.Array):
                for x in n:
                    pages_of(x, page, out)
            elif isinstance(n, pikepdf.Dictionary):
                if n.get('/Type') == '/MCR':
                    out.add(page_no[n.Pg.objgen])
                else:
                    pages_of(n.get('/K', pikepdf.Array()), n.get('/Pg', page), out)
            elif isinstance(n, int) and page is not None:
                out.add(page_no[page.objgen])
            return out
        first = pages_of(arts_[0])
    expect(len(first) >= 2 and 1 in first, f'the lead story\'s Art holds content of pages {sorted(first)}')
    tree = struct_text(pdf)
    lead = os.path.join(os.path.dirname(ISSUE), 'articles', 'can-tho.xml')
    check_article(arts(tree)[0], lead, 'lead story')
    print(f'the lead story is one Art over pages {sorted(first)}, its paragraphs in order')


def no_tags_same_look():
    """--no-tags writes no structure; tags change neither the pixels nor the extracted text."""
    for src, extra, name in ((SAMPLE, [], 'sample'), (ISSUE, ['--stylesheet', CSS], 'newsletter')):
        tagged, _ = render(src, *extra, name=f'{name}-tagged.pdf')
        plain, _ = render(src, *extra, '--no-tags', name=f'{name}-plain.pdf')
        with pikepdf.open(plain) as doc:
            expect('/StructTreeRoot' not in doc.Root and '/MarkInfo' not in doc.Root,
                   f'{name}: --no-tags still writes a structure tree')
        expect(re.search(r'Tagged:\s+no', run('pdfinfo', plain).stdout), f'{name}: --no-tags is tagged')
        expect(run('pdftotext', tagged, '-').stdout == run('pdftotext', plain, '-').stdout,
               f'{name}: tags change the extracted text')
        pix = []
        for pdf in (tagged, plain):
            prefix = pdf[:-4]
            run('pdftoppm', '-r', '72', '-png', pdf, prefix)
            pix.append(sorted(f for f in os.listdir(TMP) if f.startswith(os.path.basename(prefix) + '-')))
        expect(len(pix[0]) == len(pix[1]) and pix[0], f'{name}: page counts differ')
        for a, b in zip(*pix):
            with open(os.path.join(TMP, a), 'rb') as fa, open(os.path.join(TMP, b), 'rb') as fb:
                expect(fa.read() == fb.read(), f'{name}: {a} and {b} differ: tags changed pixels')
        size_t, size_p = os.path.getsize(tagged), os.path.getsize(plain)
        print(f'{name}: same pixels and text; tagged {size_t} bytes, untagged {size_p} '
              f'(+{100 * (size_t - size_p) / size_p:.1f}%)')


def link_is_a_link_element():
    """A link in a paragraph: its annotation is held by a Link element (OBJR) beside the P,
    found again through /StructParent, and says where it goes (/Contents)."""
    src = os.path.join(TMP, 'link.xml')
    with open(src, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Liên kết'
                '</headline><body><p>Xem thêm tại <a href="https://example.org/tin">trang tin của '
                'phường</a> hôm nay.</p></body></article>\n')
    pdf, _ = render(src, name='link.pdf')
    check_marked_content(pdf)
    roles = [r for _, r, _ in struct_text(pdf) if r != 'Object']  # pdfinfo lists the OBJR
    expect(roles == ['Document', 'Art', 'H1', 'P', 'Link'], f'structure {roles}')
    with pikepdf.open(pdf) as doc:
        annots = list(doc.pages[0].obj.Annots)
        expect(len(annots) == 1 and str(annots[0].Contents) == 'https://example.org/tin',
               'the link annotation has no /Contents naming its URI')
    print('Link element holds the annotation; /StructParent, /Contents, /Tabs /S')


def missing_alt_warned():
    """A picture without alt text is still a Figure, and the render says it lacks /Alt."""
    d = tempfile.mkdtemp(dir=TMP)
    xml = open(SAMPLE, encoding='utf-8').read()
    xml = re.sub(r'(<image src="quang-canh-hoi-nghi.jpg") alt="[^"]*"', r'\1', xml)
    expect('alt="Toàn cảnh' not in xml, 'could not remove the alt text from the sample')
    for f in os.listdir(os.path.dirname(SAMPLE)):
        if f.endswith('.jpg'):
            os.symlink(os.path.join(os.path.abspath(os.path.dirname(SAMPLE)), f), os.path.join(d, f))
    src = os.path.join(d, 'article.xml')
    with open(src, 'w', encoding='utf-8') as f:
        f.write(xml)
    pdf, err = render(src, '--assets', os.path.abspath(os.path.dirname(SAMPLE)), name='no-alt.pdf')
    expect('its Figure has no /Alt' in err, f'no warning that the Figure lacks /Alt: {err}')
    alts = figure_alts(pdf)
    expect(alts[1::2] == ['', 'Đồng chí Trần Văn Huyến phát biểu tại hội nghị'], f'picture Figure /Alt {alts}')
    expect(squash(alts[0]) == squash('Quang cảnh hội nghị'), f'the caption does not speak for the picture: {alts}')
    print('warned:', [l for l in err.splitlines() if '/Alt' in l][0])


def languages_marked():
    """Parts of an article in another language (xml:lang on an inline or a paragraph, and
    inherited inside it) are shown inside /Span <</Lang ...>> marked content, each with
    exactly its own text; the rest is the article's language (the catalog's /Lang). A value that
    is no language tag warns with file:line:col and is not written."""
    src = os.path.join(TMP, 'lang.xml')
    with open(src, 'w', encoding='utf-8') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<article xml:lang="vi"><headline>Ngôn ngữ'
                '</headline><body>\n<p>Đoàn khách nói <em xml:lang="en">good morning Can Tho</em> với bà con '
                'rồi hát <strong xml:lang="fr">Sous le ciel de Paris</strong> trên sông.</p>\n'
                '<p xml:lang="en">This paragraph is in English, <em>emphasis</em> too.</p>\n'
                '<p>Trở lại <em xml:lang="vi">tiếng Việt</em>.</p>\n'
                '<p xml:lang="en GB">Thẻ sai.</p>\n</body></article>\n')
    pdf, err = render(src, name='lang.pdf')
    expect(re.search(r'lang\.xml:6:1: warning: xml:lang="en GB" is not a language tag', err),
           f'no warning for a bad language tag: {err}')
    check_marked_content(pdf)
    from tagcheck import cmap_of
    texts = {}
    with pikepdf.open(pdf) as doc:
        expect(str(doc.Root.Lang) == 'vi', f'catalog /Lang {doc.Root.get("/Lang")}')
        page = doc.pages[0]
        fonts = page.obj.Resources.Font
        langs, maps, current = [], {}, None
        for operands, op in pikepdf.parse_content_stream(page):
            o = str(op)
            if o in ('BDC', 'BMC'):
                props = operands[1] if o == 'BDC' else None
                lang = str(props.Lang) if isinstance(props, pikepdf.Dictionary) and '/Lang' in props else None
                langs.append(lang)
            elif o == 'EMC':
                langs.pop()
            elif o == 'Tf':
                current = str(operands[0])
                maps.setdefault(current, cmap_of(fonts[current]))
            elif o in ('TJ', 'Tj'):
                inner = [l for l in langs if l]
                key = inner[-1] if inner else 'vi'
                for item in (operands[0] if o == 'TJ' else operands):
                    if isinstance(item, pikepdf.String):
                        b = bytes(item)
                        for i in range(0, len(b) - 1, 2):
                            u = maps[current].get(b[i] << 8 | b[i + 1], '')
                            texts[key] = texts.get(key, '') + bytes.fromhex(u).decode('utf-16-be')
    got = {k: squash(v) for k, v in texts.items()}
    want_en = squash('good morning Can Tho' 'This paragraph is in English, emphasis too.')
    expect(got.get('en') == want_en, f'English text {texts.get("en")!r}')
    expect(got.get('fr') == squash('Sous le ciel de Paris'), f'French text {texts.get("fr")!r}')
    expect(set(got) == {'vi', 'en', 'fr'}, f'languages shown: {sorted(got)}')
    expect('tiếngviệt' in got['vi'] and 'thẻsai' in got['vi'], f'Vietnamese text {texts["vi"]!r}')
    print('/Lang en:', texts['en'].strip(), '| fr:', texts['fr'].strip())


CASES = {f.__name__: f for f in (sample_tree, long_article_tree, sample_archive_claims_ua, newsletter_tree,
                                 jumped_article_is_one_art, no_tags_same_look, missing_alt_warned,
                                 link_is_a_link_element, languages_marked)}

if __name__ == '__main__':
    if len(sys.argv) != 2 or sys.argv[1] not in CASES:
        fail(f'usage: test_tagged.py {"|".join(CASES)}')
    if pikepdf is None:
        skip('python3-pikepdf is not installed (scripts/setup.sh installs it)')
    CASES[sys.argv[1]]()
