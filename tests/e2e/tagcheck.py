"""Checks of a tagged PDF that PDF/UA-1 and PDF/A-2a make and Debian has no validator for
(veraPDF is not packaged): what the structure holds and how its glyphs map to text. Each check
names the Matterhorn Protocol 1.1 failure conditions it covers (docs/accessibility.md lists
them). Used by test_tagged.py; needs pikepdf."""
import re

import pikepdf

from harness import expect, fail

# ISO 32000-1 §14.8.4 standard types trang writes (docs/print-and-archive.md, "Tagged PDF").
ROLES = {'Document', 'Art', 'H1', 'H2', 'P', 'BlockQuote', 'Figure', 'Caption', 'L', 'LI', 'Lbl',
         'LBody', 'Table', 'TR', 'TH', 'TD', 'Link', 'Div', 'Span'}
# Children each grouping element may hold (§14.8.4.3.3 lists, §14.8.4.3.4 tables): 09-004/09-005.
CHILDREN = {'L': {'LI', 'Caption'}, 'LI': {'Lbl', 'LBody'}, 'Table': {'TR', 'Caption'},
            'TR': {'TH', 'TD'}}
PARENTS = {'LI': {'L'}, 'Lbl': {'LI'}, 'LBody': {'LI'}, 'TR': {'Table'}, 'TH': {'TR'},
           'TD': {'TR'}}


def cmap_of(font):
    """The ToUnicode CMap of a font as {code: UTF-16BE hex}, or None without one."""
    tu = font.get('/ToUnicode')
    if tu is None:
        return None
    s = bytes(tu.read_bytes()).decode('latin1')
    m = {}
    for blk in re.findall(r'beginbfchar(.*?)endbfchar', s, re.S):
        for a, b in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>', blk):
            m[int(a, 16)] = b.upper()
    for blk in re.findall(r'beginbfrange(.*?)endbfrange', s, re.S):
        for a, b, c in re.findall(r'<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])', blk):
            a, b = int(a, 16), int(b, 16)
            if c.startswith('<'):
                v, w = int(c[1:-1], 16), len(c) - 2
                for k in range(a, b + 1):
                    m[k] = format(v + k - a, f'0{w}X')
            else:
                for k, x in zip(range(a, b + 1), re.findall(r'<([0-9A-Fa-f]*)>', c)):
                    m[k] = x.upper()
    return m


def check_unicode(pdf):
    """Every code shown maps to Unicode (Matterhorn 10-001, 31-027): a ToUnicode entry that is
    not empty, holds no U+0000, U+FEFF or U+FFFE (31-028, 31-029) and no private-use code point
    (PDF/A-2a §6.2.11.7.3); glyph 0, .notdef, is never shown (31-030). Returns the number of
    codes shown."""
    shown = 0
    with pikepdf.open(pdf) as doc:
        for number, page in enumerate(doc.pages, 1):
            fonts = page.obj.Resources.get('/Font', pikepdf.Dictionary())
            maps, current = {}, None
            for operands, op in pikepdf.parse_content_stream(page):
                o = str(op)
                if o == 'Tf':
                    current = str(operands[0])
                    if current not in maps:
                        maps[current] = cmap_of(fonts[current])
                        expect(maps[current] is not None, f'page {number}: font {current} has no ToUnicode')
                    continue
                if o not in ('Tj', 'TJ', "'", '"'):
                    continue
                items = operands[0] if o == 'TJ' else [operands[-1]]
                for item in items:
                    if not isinstance(item, pikepdf.String):
                        continue
                    b = bytes(item)
                    for i in range(0, len(b) - 1, 2):
                        code = b[i] << 8 | b[i + 1]
                        shown += 1
                        expect(code != 0, f'page {number}: .notdef (code 0) shown in {current}')
                        text = maps[current].get(code, '')
                        units = [text[j:j + 4] for j in range(0, len(text), 4)]
                        expect(text and len(text) % 4 == 0,
                               f'page {number}: code {code:04X} of {current} maps to no text')
                        for u in units:
                            expect(u not in ('0000', 'FEFF', 'FFFE') and not 'E000' <= u <= 'F8FF',
                                   f'page {number}: code {code:04X} of {current} maps to U+{u}')
    return shown


def elements(doc):
    """Every structure element of an open pikepdf document, in tree order."""
    def walk(node):
        if isinstance(node, pikepdf.Array):
            for x in node:
                yield from walk(x)
        elif isinstance(node, pikepdf.Dictionary) and '/S' in node:
            yield node
            yield from walk(node.get('/K', pikepdf.Array()))
    return walk(doc.Root.StructTreeRoot.K)


def tree_roles(pdf):
    """[(depth, role, parent role)] of the structure tree in tree order."""
    out = []
    with pikepdf.open(pdf) as doc:
        def walk(node, depth, parent):
            if isinstance(node, pikepdf.Array):
                for x in node:
                    walk(x, depth, parent)
            elif isinstance(node, pikepdf.Dictionary) and '/S' in node:
                role = str(node.S)[1:]
                out.append((depth, role, parent))
                walk(node.get('/K', pikepdf.Array()), depth + 1, role)
        walk(doc.Root.StructTreeRoot.K, 0, None)
        expect('/RoleMap' not in doc.Root.StructTreeRoot,
               'a RoleMap: trang writes standard types only (02-001 ... 02-004)')
    return out


def check_roles(pdf):
    """Only standard types (02-001); lists and tables built as §14.8.4 says (09-004, 09-005);
    headings start at H1 and skip no level going down (14-002, 14-003); a TH says its /Scope
    (15-003); every Figure has /Alt (13-004). Returns the roles' counts."""
    roles = tree_roles(pdf)
    counts = {}
    last_level = 0
    for depth, role, parent in roles:
        counts[role] = counts.get(role, 0) + 1
        expect(role in ROLES, f'structure type {role} is not one trang writes')
        if parent in CHILDREN:
            expect(role in CHILDREN[parent], f'{role} inside {parent}')
        if role in PARENTS:
            expect(parent in PARENTS[role], f'{role} inside {parent}, not {PARENTS[role]}')
        if re.fullmatch(r'H[1-6]', role):
            level = int(role[1])
            expect(level <= last_level + 1, f'heading {role} after H{last_level} skips a level')
            last_level = level
        if role == 'Art':
            last_level = 0
    with pikepdf.open(pdf) as doc:
        for node in elements(doc):
            if str(node.S) == '/Figure':
                expect(str(node.get('/Alt', '')).strip(), 'a Figure without /Alt (13-004)')
            if str(node.S) == '/TH':
                expect('/A' in node and '/Scope' in node.A, 'a TH without /Scope (15-003)')
    return counts
