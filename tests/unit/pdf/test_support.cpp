#include "test_support.h"

#include <hb-ot.h>
#include <jpeglib.h>
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace trang::pdf::test {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const std::filesystem::path& path, const std::string& bytes) {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

TestFont::TestFont(const std::string& path) {
  auto prog = std::make_shared<FontProgram>();
  prog->path = path;
  prog->bytes = FontBytes::copy(read_file(path));
  blob_ = hb_blob_create(prog->bytes->data(), static_cast<unsigned>(prog->bytes->size()),
                         HB_MEMORY_MODE_READONLY, nullptr, nullptr);
  face_ = hb_face_create(blob_, 0);
  font_ = hb_font_create(face_);
  unsigned upem = hb_face_get_upem(face_);
  hb_font_set_scale(font_, static_cast<int>(upem), static_cast<int>(upem));
  prog->units_per_em = static_cast<int>(upem);

  char name[128] = {0};
  unsigned len = sizeof name;
  hb_ot_name_get_utf8(face_, HB_OT_NAME_ID_POSTSCRIPT_NAME, HB_LANGUAGE_INVALID, &len, name);
  prog->postscript_name = name;
  len = sizeof name;
  hb_ot_name_get_utf8(face_, HB_OT_NAME_ID_FONT_FAMILY, HB_LANGUAGE_INVALID, &len, name);
  prog->family = name;

  hb_position_t v = 0;
  if (hb_ot_metrics_get_position(font_, HB_OT_METRICS_TAG_HORIZONTAL_ASCENDER, &v))
    prog->ascender = v;
  if (hb_ot_metrics_get_position(font_, HB_OT_METRICS_TAG_HORIZONTAL_DESCENDER, &v))
    prog->descender = v;
  if (hb_ot_metrics_get_position(font_, HB_OT_METRICS_TAG_CAP_HEIGHT, &v)) prog->cap_height = v;
  if (hb_ot_metrics_get_position(font_, HB_OT_METRICS_TAG_X_HEIGHT, &v)) prog->x_height = v;

  // head: xMin yMin xMax yMax at offset 36, big-endian int16.
  hb_blob_t* head = hb_face_reference_table(face_, HB_TAG('h', 'e', 'a', 'd'));
  unsigned head_len = 0;
  const char* h = hb_blob_get_data(head, &head_len);
  if (head_len >= 44)
    for (int i = 0; i < 4; ++i)
      prog->bbox[i] = static_cast<int16_t>((static_cast<uint8_t>(h[36 + 2 * i]) << 8) |
                                           static_cast<uint8_t>(h[37 + 2 * i]));
  hb_blob_destroy(head);

  prog->serif = prog->family.find("Serif") != std::string::npos &&
                prog->family.find("Sans") == std::string::npos;
  unsigned count = hb_face_get_glyph_count(face_);
  prog->advances.resize(count);
  for (unsigned g = 0; g < count; ++g)
    prog->advances[g] = static_cast<uint16_t>(hb_font_get_glyph_h_advance(font_, g));
  program_ = std::move(prog);
}

TestFont::~TestFont() {
  hb_font_destroy(font_);
  hb_face_destroy(face_);
  hb_blob_destroy(blob_);
}

uint32_t TestFont::glyph(char32_t cp) const {
  hb_codepoint_t g = 0;
  return hb_font_get_nominal_glyph(font_, cp, &g) ? g : 0;
}

layout::GlyphRun TestFont::shape(const std::string& text, FontId id, double size, double x,
                                 double y) const {
  hb_buffer_t* buf = hb_buffer_create();
  hb_buffer_add_utf8(buf, text.data(), static_cast<int>(text.size()), 0,
                     static_cast<int>(text.size()));
  hb_buffer_set_direction(buf, HB_DIRECTION_LTR);
  hb_buffer_guess_segment_properties(buf);
  hb_shape(font_, buf, nullptr, 0);
  unsigned n = 0;
  hb_glyph_info_t* info = hb_buffer_get_glyph_infos(buf, &n);
  hb_glyph_position_t* pos = hb_buffer_get_glyph_positions(buf, nullptr);

  layout::GlyphRun run;
  run.font = id;
  run.size = Pt(size);
  run.x = Pt(x);
  run.y = Pt(y);
  double k = size / program_->units_per_em;
  run.glyphs.reserve(n);
  for (unsigned i = 0; i < n; ++i)
    run.glyphs.push_back({info[i].codepoint, Pt(pos[i].x_advance * k), Pt(pos[i].x_offset * k),
                          Pt(pos[i].y_offset * k)});
  for (unsigned i = 0; i < n;) {
    unsigned j = i + 1;
    while (j < n && info[j].cluster == info[i].cluster) ++j;
    size_t start = info[i].cluster;
    size_t end = j < n ? info[j].cluster : text.size();
    run.clusters.push_back({i, j - i, text.substr(start, end - start)});
    i = j;
  }
  hb_buffer_destroy(buf);
  return run;
}

image::Bytes make_jpeg(int width, int height, int components) {
  jpeg_compress_struct cinfo{};
  jpeg_error_mgr jerr{};
  cinfo.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&cinfo);
  unsigned char* mem = nullptr;
  unsigned long mem_size = 0;
  jpeg_mem_dest(&cinfo, &mem, &mem_size);
  cinfo.image_width = static_cast<JDIMENSION>(width);
  cinfo.image_height = static_cast<JDIMENSION>(height);
  cinfo.input_components = components;
  cinfo.in_color_space = components == 1 ? JCS_GRAYSCALE : components == 3 ? JCS_RGB : JCS_CMYK;
  jpeg_set_defaults(&cinfo);
  jpeg_set_quality(&cinfo, 90, TRUE);
  jpeg_start_compress(&cinfo, TRUE);
  std::vector<uint8_t> row(static_cast<size_t>(width * components));
  while (cinfo.next_scanline < cinfo.image_height) {
    for (int x = 0; x < width; ++x)
      for (int c = 0; c < components; ++c)
        row[static_cast<size_t>(x * components + c)] =
            static_cast<uint8_t>((x * 255 / std::max(1, width - 1) + c * 60 +
                                  static_cast<int>(cinfo.next_scanline) * 10) & 0xFF);
    JSAMPROW r = row.data();
    jpeg_write_scanlines(&cinfo, &r, 1);
  }
  jpeg_finish_compress(&cinfo);
  image::Bytes out(mem, mem + mem_size);
  jpeg_destroy_compress(&cinfo);
  free(mem);
  return out;
}

ToolResult run_tool(const std::string& command) {
  ToolResult result;
  char err_path[] = "/tmp/trang_pdf_test_stderr_XXXXXX";
  int fd = mkstemp(err_path);
  if (fd < 0) return result;
  close(fd);
  std::string cmd = command + " 2>" + err_path;
  FILE* pipe = popen(cmd.c_str(), "r");
  if (!pipe) {
    std::remove(err_path);
    return result;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) result.out.append(buf, n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_file(err_path);
  std::remove(err_path);
  return result;
}

}  // namespace trang::pdf::test
