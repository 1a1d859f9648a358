# Writes cases.json, the hostile-input manifest (run by run.py). Edit the cases here, then:
#   cd tests/hostile && python3 make_cases.py
import os
os.chdir(os.path.dirname(os.path.abspath(__file__)))
import json
A = lambda body, head='<headline>Tin</headline>': f'<article xml:lang="vi">\n{head}\n<body>\n{body}\n</body>\n</article>\n'
FIG = lambda src: A(f'<p>Chữ vẫn sắp.</p>\n<figure>\n<image src="{src}" alt="ảnh"/>\n<caption>Ảnh</caption>\n</figure>')
R = lambda *extra: ['render', 'a.xml', '-o', '{out}', *extra]
cases = []
def c(name, category, exit, stderr=None, **kw):
    d = {'name': name, 'category': category, 'exit': exit}
    if stderr is not None: d['stderr'] = stderr
    d.update(kw)
    d.setdefault('args', R())
    cases.append(d)

# --- XML ---
c('xml_billion_laughs', 'xml', 1, r'a\.xml:2:1: error: .*DOCTYPE',
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>\n<article><headline>&lol4;</headline><body><p>x</p></body></article>\n'})
c('xml_external_entity', 'xml', 1, r'a\.xml:2:1: error: .*DOCTYPE',
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE article [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<article><headline>&xxe;</headline><body><p>x</p></body></article>\n'})
# A DOCTYPE that only names a DTD is read as if absent: the DTD is never opened or fetched
# (strace: no file outside the case folder, no socket), whatever it points at.
c('xml_doctype_system_not_read', 'xml', 0, None,
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE article SYSTEM "file:///etc/passwd">\n<article><headline>Tin</headline><body><p>x</p></body></article>\n'})
c('xml_doctype_public_url_not_fetched', 'xml', 0, None,
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE nitf PUBLIC "-//IPTC//DTD NITF 3.6//EN" "http://127.0.0.1:9/nitf-3-6.dtd">\n<nitf><body><body.head><hedline><hl1>Tin</hl1></hedline></body.head><body.content><p>x</p></body.content></body></nitf>\n'})
c('xml_doctype_external_id_and_subset', 'xml', 1, r'a\.xml:2:1: error: a DOCTYPE with an internal subset',
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE nitf SYSTEM "nitf.dtd" [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<nitf><body><body.content><p>&xxe;</p></body.content></body></nitf>\n'})
c('xml_doctype_bracket_in_literal_then_subset', 'xml', 1, r'a\.xml:2:1: error: a DOCTYPE with an internal subset',
  files={'a.xml': '<?xml version="1.0"?>\n<!DOCTYPE article PUBLIC "-//x//[" "y]>" [<!ENTITY e "boom">]>\n<article><headline>&e;</headline><body/></article>\n'})
c('nitf_picture_url_not_fetched', 'paths', 0, r"a\.xml:2:\d+: warning: picture 'http://127\.0\.0\.1:9/p\.jpg' is a URL",
  files={'a.xml': '<nitf><body><body.head><hedline><hl1>Tin</hl1></hedline></body.head><body.content><p>x</p>\n<media media-type="image"><media-reference source="http://127.0.0.1:9/p.jpg" alternate-text="ảnh"/><media-caption>Chú thích</media-caption></media></body.content></body></nitf>\n'})
c('xml_invalid_utf8', 'xml', 1, r'a\.xml:4:\d+: error: invalid UTF-8',
  generate=[['invalid_utf8', 'a.xml']])
c('xml_nul_reference', 'xml', 1, r'a\.xml:\d+:\d+: error: .*(NUL|&#0;|U\+0000)',
  files={'a.xml': A('<p>cắt&#0;ngắn</p>')})
c('xml_raw_nul', 'xml', 1, r'a\.xml:\d+:\d+: error: .*(NUL|U\+0000)',
  files={'a.xml': A('<p>cắt\u0000ngắn</p>')})
c('xml_two_roots', 'xml', 1, r'a\.xml:\d+:\d+: error: a second root element',
  files={'a.xml': A('<p>x</p>') + '<article/>\n'})
c('xml_unclosed', 'xml', 1, r'a\.xml:\d+:\d+: error: malformed XML',
  files={'a.xml': '<article>\n<headline>Tin</headline>\n<body><p>mở\n</article>\n'})
c('xml_deep_nesting', 'xml', 1, r'a\.xml:\d+:\d+: error: elements nested more than 64 deep',
  generate=[['deep_xml', 'a.xml', '100000']])
c('xml_deep_inline_ok', 'xml', 0, None, generate=[['deep_xml', 'a.xml', '60']])
c('xml_too_large', 'xml', 1, r'a\.xml: error: file is larger than 64 MiB',
  generate=[['sparse', 'a.xml', str(65 << 20)]])
c('xml_article_is_fifo', 'xml', 1, r'a\.xml: error: not a regular file',
  generate=[['fifo', 'a.xml']], timeout=20)
c('xml_article_is_directory', 'xml', 1, r'a\.xml: error: not a regular file',
  generate=[['dir', 'a.xml']])
c('xml_article_is_device', 'xml', 1, r'a\.xml: error: not a regular file',
  generate=[['symlink', 'a.xml', '/dev/zero']])
c('xml_many_paragraphs', 'limits', 4, r'a\.xml: error: layout stopped after 40 pages',
  generate=[['paragraphs', 'a.xml', '200000']], args=R('--max-pages', '40'), timeout=90)
c('xml_megabyte_paragraph', 'limits', 0, None,
  generate=[['big_paragraph', 'a.xml', '1000000']], args=R('--max-pages', '2000'), timeout=120)
c('xml_megabyte_paragraph_wide_measure', 'limits', 0, r"clamped",
  files={'s.css': '@page { size: 1e9pt 1e9pt; margin: 0 }\nbody { column-count: 1 }\np { font-size: 0.1pt }\n'},
  generate=[['big_paragraph', 'a.xml', '1000000']], args=R('--stylesheet', 's.css', '--max-pages', '2000'), timeout=60)
c('xml_long_word', 'limits', 0, r'warning: .*wider than the column',
  generate=[['long_word', 'a.xml', '100000']], args=R('--max-pages', '2000'), timeout=90)
c('max_pages_exit_4', 'limits', 4, r'error: layout stopped after 1 page;',
  generate=[['paragraphs', 'a.xml', '400']], args=R('--max-pages', '1'))

# --- tables ---
c('table_3000_columns', 'limits', 0, r'a\.xml:\d+:\d+: warning: the table is wider than the column: its 3000 columns',
  files={'a.xml': A('<table><tr>' + ''.join(f'<td>ô{i}</td>' for i in range(3000)) + '</tr></table>')}, timeout=60)
c('table_20000_rows', 'limits', 0, None,
  files={'a.xml': A('<table><thead><tr><th>A</th><th>B</th></tr></thead>' + ''.join(f'<tr><td>Hàng {i}</td><td>{i}</td></tr>' for i in range(20000)) + '</table>')},
  args=R('--max-pages', '2000'), timeout=90)
c('table_colspan_huge', 'limits', 1, r'a\.xml:\d+:\d+: error: colspan must be a whole number from 1 to 64',
  files={'a.xml': A('<table><tr><td colspan="4294967297">x</td></tr></table>')})

# --- image paths ---
c('path_image_absolute', 'paths', 1, r"a\.xml:6:1: error: image '/etc/passwd' is an absolute path",
  files={'a.xml': FIG('/etc/passwd')})
c('path_image_dotdot', 'paths', 1, r"a\.xml:6:1: error: image '.*secret\.jpg' is outside the article's folder",
  files={'a.xml': FIG('../path_image_dotdot.outside/secret.jpg')})
c('path_image_symlink_out', 'paths', 1, r"a\.xml:6:1: error: image 'photo\.jpg' is outside",
  files={'a.xml': FIG('photo.jpg')}, generate=[['symlink', 'photo.jpg', '{outside}/secret.jpg']])
c('path_image_symlinked_folder_out', 'paths', 1, r"a\.xml:6:1: error: image 'media/secret\.jpg' is outside",
  files={'a.xml': FIG('media/secret.jpg')}, generate=[['symlink', 'media', '{outside}']])
c('path_image_url', 'paths', 1, r"a\.xml:6:1: error: image 'https://example\.org/a\.jpg' is a URL",
  files={'a.xml': FIG('https://example.org/a.jpg')})
c('path_image_file_url', 'paths', 1, r"a\.xml:6:1: error: image 'file:/etc/passwd' is a URL",
  files={'a.xml': FIG('file:/etc/passwd')})
c('path_image_fifo', 'paths', 1, r"a\.xml:6:1: error: image 'pipe\.jpg' is not a regular file",
  files={'a.xml': FIG('pipe.jpg')}, generate=[['fifo', 'pipe.jpg']], timeout=20)
c('path_image_directory', 'paths', 1, r"a\.xml:6:1: error: image 'photos' is not a regular file",
  files={'a.xml': FIG('photos')}, generate=[['dir', 'photos']])
c('path_image_device_link', 'paths', 1, r"a\.xml:6:1: error: image 'zero\.jpg' is outside",
  files={'a.xml': FIG('zero.jpg')}, generate=[['symlink', 'zero.jpg', '/dev/zero']])
c('path_image_missing', 'paths', 1, r"a\.xml:6:1: error: image file 'khong-co\.jpg' not found",
  files={'a.xml': FIG('khong-co.jpg')})
c('path_assets_allowed', 'paths', 0, None,
  files={'art/a.xml': FIG('../media/photo.jpg')}, generate=[['dir', 'media'], ['copy', 'media/photo.jpg', 'tests/fuzz/seeds/image/baseline.jpg']],
  args=['render', 'art/a.xml', '-o', '{out}', '--assets', 'media'])
c('path_assets_lookup', 'paths', 0, None,
  files={'art/a.xml': FIG('photo.jpg')}, generate=[['dir', 'media'], ['copy', 'media/photo.jpg', 'tests/fuzz/seeds/image/baseline.jpg']],
  args=['render', 'art/a.xml', '-o', '{out}', '--assets', 'media'])
c('path_assets_not_given', 'paths', 1, r"art/a\.xml:6:1: error: image '\.\./media/photo\.jpg' is outside the article's folder",
  files={'art/a.xml': FIG('../media/photo.jpg')}, generate=[['dir', 'media'], ['copy', 'media/photo.jpg', 'tests/fuzz/seeds/image/baseline.jpg']],
  args=['render', 'art/a.xml', '-o', '{out}'])

# --- stylesheets and fonts ---
P = A('<p>Chữ.</p>')
c('css_import_outside', 'stylesheets', 1, r"s\.css:1:9: error: cannot import '\.\./.*secret\.css' is outside the stylesheet's folder",
  files={'a.xml': P, 's.css': '@import "../css_import_outside.outside/secret.css";\n'}, args=R('--stylesheet', 's.css'))
c('css_import_symlink_out', 'stylesheets', 1, r"s\.css:1:9: error: cannot import 'more\.css' is outside",
  files={'a.xml': P, 's.css': '@import "more.css";\n'}, generate=[['symlink', 'more.css', '{outside}/secret.css']], args=R('--stylesheet', 's.css'))
c('css_import_url', 'stylesheets', 1, r"s\.css:1:9: error: cannot import 'https://example\.org/x\.css' is a URL",
  files={'a.xml': P, 's.css': '@import url("https://example.org/x.css");\n'}, args=R('--stylesheet', 's.css'))
c('css_import_cycle', 'stylesheets', 1, r"error: @import cycle",
  files={'a.xml': P, 's.css': '@import "t.css";\n', 't.css': '@import "s.css";\n'}, args=R('--stylesheet', 's.css'))
c('css_import_fifo', 'stylesheets', 1, r"error: cannot import 'pipe\.css': not a regular file",
  files={'a.xml': P, 's.css': '@import "pipe.css";\n'}, generate=[['fifo', 'pipe.css']], args=R('--stylesheet', 's.css'), timeout=20)
c('css_stylesheet_fifo', 'stylesheets', 1, r"s\.css: error: not a regular file",
  files={'a.xml': P}, generate=[['fifo', 's.css']], args=R('--stylesheet', 's.css'), timeout=20)
c('css_font_face_outside', 'fonts', 1, r"s\.css:\d+:\d+: error: font file '/usr/share/fonts/.*' is outside the stylesheet's folder",
  files={'a.xml': P, 's.css': '@font-face { font-family: "X"; src: url("/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf") }\n'}, args=R('--stylesheet', 's.css'))
c('css_font_face_url', 'fonts', 1, r"s\.css:\d+:\d+: error: font file 'http://example\.org/f\.ttf' is a URL",
  files={'a.xml': P, 's.css': '@font-face { font-family: "X"; src: url(http://example.org/f.ttf) }\n'}, args=R('--stylesheet', 's.css'))
c('css_font_face_garbage', 'fonts', 1, r"s\.css:\d+:\d+: error: font file '.*bad\.ttf' is damaged",
  files={'a.xml': P, 'bad.ttf': 'not a font.', 's.css': '@font-face { font-family: "X"; src: url(bad.ttf) }\nbody { font-family: "X" }\n'}, args=R('--stylesheet', 's.css'))
c('css_font_face_truncated', 'fonts', 1, r"s\.css:\d+:\d+: error: font file '.*cut\.ttf' is damaged",
  files={'a.xml': P, 's.css': '@font-face { font-family: "X"; src: url(cut.ttf) }\nbody { font-family: "X" }\n'},
  generate=[['cut', 'cut.ttf', '/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf', '0.1']], args=R('--stylesheet', 's.css'))
c('css_font_face_fifo', 'fonts', 1, r"s\.css:\d+:\d+: error: font file 'f\.ttf': not a regular file",
  files={'a.xml': P, 's.css': '@font-face { font-family: "X"; src: url(f.ttf) }\n'}, generate=[['fifo', 'f.ttf']], args=R('--stylesheet', 's.css'), timeout=20)
c('css_absurd_values', 'stylesheets', 0, [r"s\.css:\d+:\d+: warning: .*clamped"],
  files={'a.xml': A('<p>' + 'Chữ vẫn được sắp trong cột. ' * 40 + '</p>'),
         's.css': '@page { size: 1e9pt 1pt; margin: 1e9pt -5pt }\nbody { column-count: 1000; column-gap: -1e9pt }\n'
                  'p { font-size: 1e9pt; line-height: -3; text-indent: 1e12pt; margin: -1e9pt }\n'
                  'headline { font-size: 0; column-count: 0 }\n'}, args=R('--stylesheet', 's.css', '--max-pages', '200'), timeout=90)
# var() that each use the one before ten times (a billion laughs in CSS): capped, warned.
c('css_var_exponential', 'stylesheets', 0, r"s\.css:\d+:\d+: warning: .*grows past 65536 bytes",
  files={'a.xml': P, 's.css': ':root { --a: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx;\n  --b: var(--a) var(--a) var(--a) var(--a) var(--a) var(--a) var(--a) var(--a) var(--a) var(--a);\n  --c: var(--b) var(--b) var(--b) var(--b) var(--b) var(--b) var(--b) var(--b) var(--b) var(--b);\n  --d: var(--c) var(--c) var(--c) var(--c) var(--c) var(--c) var(--c) var(--c) var(--c) var(--c);\n  --e: var(--d) var(--d) var(--d) var(--d) var(--d) var(--d) var(--d) var(--d) var(--d) var(--d);\n  --f: var(--e) var(--e) var(--e) var(--e) var(--e) var(--e) var(--e) var(--e) var(--e) var(--e);\n  --g: var(--f) var(--f) var(--f) var(--f) var(--f) var(--f) var(--f) var(--f) var(--f) var(--f);\n  --h: var(--g) var(--g) var(--g) var(--g) var(--g) var(--g) var(--g) var(--g) var(--g) var(--g);\n  --i: var(--h) var(--h) var(--h) var(--h) var(--h) var(--h) var(--h) var(--h) var(--h) var(--h);\n}\np { --z: var(--i); font-family: var(--i); color: var(--i) }\n'}, args=R('--stylesheet', 's.css'), timeout=30)
# A long chain of variables, each naming the next, and calc() that overflows.
c('css_var_chain_and_calc_overflow', 'stylesheets', 0, [r"s\.css:\d+:\d+: warning: .*more than 200 var", r"s\.css:\d+:\d+: warning: .*the result is too large"],
  files={'a.xml': P, 's.css': ':root { ' + ''.join(f'--v{i}: var(--v{i + 1}); ' for i in range(5000)) + '--v5000: 1pt }\n'
         'p { text-indent: var(--v0); margin-top: calc(1e300pt * 1e300); column-gap: calc(0pt - 1e6pt);'
         ' padding: calc(1em - 1e9pt); font-size: calc(1em * 1e30); line-height: min(-5pt, 1em) }\n'}, args=R('--stylesheet', 's.css'), timeout=30)
c('css_margins_wider_than_page', 'stylesheets', 0, r"warning",
  files={'a.xml': A('<p>' + 'Chữ. ' * 50 + '</p>'), 's.css': '@page { size: A5; margin: 200mm 300mm }\n'}, args=R('--stylesheet', 's.css'))
c('css_deep_blocks', 'stylesheets', 1, r"s\.css:\d+:\d+: error",
  files={'a.xml': P}, generate=[['big_css', 's.css', '1000000', '{']], args=R('--stylesheet', 's.css'))
c('css_deep_parens', 'stylesheets', 1, r"s\.css:\d+:\d+: error",
  files={'a.xml': P}, generate=[['big_css', 's.css', '1000000', '(']], args=R('--stylesheet', 's.css'))
c('css_many_selectors', 'stylesheets', 0, None,
  files={'a.xml': P}, generate=[['many_selectors', 's.css', '100000']], args=R('--stylesheet', 's.css'))

# --- images ---
c('img_truncated_jpeg', 'images', 0, r"a\.xml:6:1: warning: .*cut\.jpg",
  files={'a.xml': FIG('cut.jpg')}, generate=[['cut', 'cut.jpg', 'samples/can-tho/tran-van-huyen.jpg', '0.3']])
c('img_truncated_png', 'images', 0, r"a\.xml:6:1: warning: .*cut\.png",
  files={'a.xml': FIG('cut.png')}, generate=[['png_truncated', 'cut.png']])
c('img_png_bad_crc', 'images', 0, r"a\.xml:6:1: warning: .*crc\.png",
  files={'a.xml': FIG('crc.png')}, generate=[['png_bad_crc', 'crc.png']])
c('img_png_bomb', 'images', 0, r"a\.xml:6:1: warning: .*bomb\.png",
  files={'a.xml': FIG('bomb.png')}, generate=[['png_bomb', 'bomb.png', '30000', '30000']])
c('img_jpeg_bomb', 'images', 0, r"a\.xml:6:1: warning: .*bomb\.jpg",
  files={'a.xml': FIG('bomb.jpg')}, generate=[['jpeg_size', 'bomb.jpg', '65500', '65500']])
c('img_jpeg_zero_size', 'images', 0, r"a\.xml:6:1: warning: .*zero\.jpg",
  files={'a.xml': FIG('zero.jpg')}, generate=[['jpeg_size', 'zero.jpg', '0', '0']])
c('img_not_an_image', 'images', 0, r"a\.xml:6:1: warning: .*text\.jpg",
  files={'a.xml': FIG('text.jpg'), 'text.jpg': 'GIF89a, or rather, not an image at all\n'})
c('img_empty_file', 'images', 0, r"a\.xml:6:1: warning: .*empty\.png",
  files={'a.xml': FIG('empty.png'), 'empty.png': ''})
c('img_tall_1x60000', 'images', 0, r"warning: figure is taller than a column; scaled down",
  files={'a.xml': FIG('tall.png')}, generate=[['png', 'tall.png', '1', '60000']])
c('img_wide_60000x1', 'images', 0, None,
  files={'a.xml': FIG('wide.png')}, generate=[['png', 'wide.png', '60000', '1']])

# --- output ---
c('out_folder_missing', 'output', 3, r"error: cannot write: folder '.*nowhere' does not exist",
  files={'a.xml': P}, out='{dir}/nowhere/out.pdf', make_out_dir=False)
c('out_is_directory', 'output', 3, r"error: cannot write: the output path is a folder",
  files={'a.xml': P}, generate=[['dir', 'out/out.pdf']], out_preexists=True)
c('out_is_fifo', 'output', 3, r"error: cannot write: the output path exists and is not a regular file",
  files={'a.xml': P}, generate=[['fifo', 'out/out.pdf']], timeout=20, out_preexists=True)
c('out_symlink_to_input', 'output', 2, r"error: the output would overwrite an input file",
  files={'a.xml': P}, generate=[['symlink', 'out/out.pdf', '{dir}/a.xml']], out_preexists=True)
c('out_is_input', 'output', 2, r"error: the output would overwrite an input file",
  files={'a.xml': P}, args=['render', 'a.xml', '-o', 'a.xml'], out='{dir}/a.xml', out_preexists=True)
c('out_stylesheet_is_output', 'output', 2, r"error: the output would overwrite an input file",
  files={'a.xml': P, 's.css': 'p { color: red }\n'}, args=['render', 'a.xml', '-o', 's.css', '--stylesheet', 's.css'], out='{dir}/s.css', out_preexists=True)
c('out_read_only_folder', 'output', 3, r"error: cannot create a temporary file",
  files={'a.xml': P}, after=[['chmod', '{dir}/out', '555']], as_user='nobody')
c('out_file_size_limit', 'output', 3, r"error: cannot write the output file",
  files={'a.xml': P}, limits={'fsize': '4096'})

json.dump({'about': 'Hostile inputs for trang (issue 7); run by run.py. Each case: the files it '
                    'writes (inline) or generates, the command line ({dir} the case folder, '
                    '{out} the output path, {outside} a folder trang must not read), the exit code, '
                    'stderr patterns, whether a PDF must exist (default: exit 0).',
           'cases': cases}, open('cases.json', 'w', encoding='utf-8'), ensure_ascii=False, indent=1)
print(len(cases))
