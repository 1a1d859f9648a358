// Proving a JPEG whole from its structure, without entropy-decoding it (ITU T.81 Annex B).
// Truncation and the usual corruption show in the structure: the file ends before its EOI, a
// marker sits inside a scan with data after the EOI, restart markers are missing or out of
// order, a table is malformed or missing. A file whose structure is clean in every respect is
// accepted as it is; anything unusual is left to the full decode (image.cpp), which words the
// message. Damage that keeps the structure intact (flipped bits inside a scan with no restart
// markers) is not caught: it draws a wrong picture, not a broken file (docs/security.md).
#include <algorithm>
#include <cstring>
#include <iterator>

#include <cstdio>
#include <jpeglib.h>

#include "image/internal.h"
#include "image/jpeg_internal.h"

namespace trang::image {
namespace {

struct Component {
  int id = 0, h = 1, v = 1, quant = 0;
  bool scanned = false;     // sequential: its one scan has been seen
  int coef_bits[64];        // progressive: the last Al per coefficient, -1 before any scan
};

struct Walk {
  const uint8_t* data;
  size_t size;
  size_t pos = 0;
  bool frame = false, progressive = false;
  int width = 0, height = 0, hmax = 1, vmax = 1;
  int ncomp = 0;
  Component comp[4];
  bool dc_table[4] = {}, ac_table[4] = {}, quant_table[4] = {};
  unsigned restart_interval = 0;
  int scans = 0;

  unsigned u16(size_t at) const { return (unsigned{data[at]} << 8) | data[at + 1]; }
};

int ceil_div(long a, long b) { return static_cast<int>((a + b - 1) / b); }

// DHT (B.2.4.2): every table's 16 counts and symbols inside the segment, a code that fits its
// lengths (libjpeg's jpeg_make_d_derived_tbl), DC symbols at most 15.
bool read_dht(Walk& w, size_t at, size_t end) {
  while (at < end) {
    if (end - at < 17) return false;
    int cls = w.data[at] >> 4, id = w.data[at] & 15;
    if (cls > 1 || id > 3) return false;
    long code = 0, total = 0;
    for (int len = 1; len <= 16; ++len) {
      int n = w.data[at + len];
      total += n;
      code += n;
      if (n && code >= (1L << len)) return false;
      code <<= 1;
    }
    if (total > 256 || end - at - 17 < static_cast<size_t>(total)) return false;
    if (cls == 0)
      for (long i = 0; i < total; ++i)
        if (w.data[at + 17 + i] > 15) return false;
    (cls == 0 ? w.dc_table : w.ac_table)[id] = true;
    at += 17 + static_cast<size_t>(total);
  }
  return true;
}

// DQT (B.2.4.1): 8- or 16-bit tables 0..3 that fill the segment exactly.
bool read_dqt(Walk& w, size_t at, size_t end) {
  while (at < end) {
    int precision = w.data[at] >> 4, id = w.data[at] & 15;
    if (precision > 1 || id > 3) return false;
    size_t n = 1 + 64 * static_cast<size_t>(precision + 1);
    if (end - at < n) return false;
    w.quant_table[id] = true;
    at += n;
  }
  return true;
}

// SOF0/1/2 (B.2.2): 8-bit samples, a height given here (no DNL), 1..4 components.
bool read_sof(Walk& w, size_t at, size_t end) {
  if (w.frame || end - at < 6) return false;
  w.frame = true;
  w.height = static_cast<int>(w.u16(at + 1));
  w.width = static_cast<int>(w.u16(at + 3));
  w.ncomp = w.data[at + 5];
  if (w.data[at] != 8 || w.height == 0 || w.width == 0 || w.ncomp < 1 || w.ncomp > 4 ||
      end - at != 6 + 3 * static_cast<size_t>(w.ncomp))
    return false;
  for (int i = 0; i < w.ncomp; ++i) {
    const uint8_t* c = w.data + at + 6 + 3 * i;
    Component& k = w.comp[i];
    k.id = c[0];
    k.h = c[1] >> 4;
    k.v = c[1] & 15;
    k.quant = c[2];
    if (k.h < 1 || k.h > 4 || k.v < 1 || k.v > 4 || k.quant > 3) return false;
    for (int j = 0; j < i; ++j)
      if (w.comp[j].id == k.id) return false;
    std::fill(std::begin(k.coef_bits), std::end(k.coef_bits), -1);
    w.hmax = std::max(w.hmax, k.h);
    w.vmax = std::max(w.vmax, k.v);
  }
  return true;
}

// A progressive scan's parameters (G.1.1.1.1) and its place in each component's progression:
// what libjpeg's start_pass_phuff_decoder rejects or warns about is left to the decoder.
bool progression_fits(Component* const* scan, int n, int ss, int se, int ah, int al) {
  if (ss == 0 ? se != 0 : (se < ss || se > 63 || n != 1)) return false;
  if ((ah != 0 && al != ah - 1) || al > 13) return false;
  for (int i = 0; i < n; ++i) {
    int* bits = scan[i]->coef_bits;
    if (ss > 0 && bits[0] < 0) return false;  // AC before the DC
    for (int k = ss; k <= se; ++k) {
      if (ah != (bits[k] < 0 ? 0 : bits[k])) return false;
      bits[k] = al;
    }
  }
  return true;
}

// The entropy-coded segment after an SOS (B.1.1.5, F.1.2.3): stuffed bytes skipped, restart
// markers counted and in order, ending at the next other marker (w.pos is left on its 0xFF).
// False when the file ends inside it, or the restart markers do not match the scan's MCUs.
bool read_entropy_coded(Walk& w, long mcus) {
  const uint8_t* p = w.data + w.pos;
  const uint8_t* end = w.data + w.size;
  if (p == end || (*p == 0xFF && (p + 1 == end || p[1] != 0x00))) return false;  // empty
  long restarts = 0;
  for (;;) {
    p = static_cast<const uint8_t*>(std::memchr(p, 0xFF, static_cast<size_t>(end - p)));
    if (!p) return false;
    const uint8_t* q = p + 1;
    while (q < end && *q == 0xFF) ++q;  // fill bytes
    if (q == end) return false;
    if (*q == 0x00) {
      p = q + 1;
      continue;
    }
    if (*q >= 0xD0 && *q <= 0xD7) {
      if (w.restart_interval == 0 || *q != 0xD0 + (restarts & 7)) return false;
      ++restarts;
      p = q + 1;
      continue;
    }
    w.pos = static_cast<size_t>(p - w.data);
    break;
  }
  if (w.restart_interval == 0) return true;
  return restarts == ceil_div(mcus, w.restart_interval) - 1;
}

// SOS (B.2.3) and the scan's data.
bool read_scan(Walk& w, size_t at, size_t end) {
  if (!w.frame || ++w.scans > detail::kMaxJpegScans) return false;
  int n = w.data[at];
  if (n < 1 || n > 4 || end - at != 4 + 2 * static_cast<size_t>(n)) return false;
  Component* scan[4];
  for (int i = 0; i < n; ++i) {
    int id = w.data[at + 1 + 2 * i], tables = w.data[at + 2 + 2 * i];
    scan[i] = nullptr;
    for (int j = 0; j < w.ncomp; ++j)
      if (w.comp[j].id == id) scan[i] = &w.comp[j];
    if (!scan[i]) return false;
    for (int j = 0; j < i; ++j)
      if (scan[j] == scan[i]) return false;
    int dc = tables >> 4, ac = tables & 15;
    if (dc > 3 || ac > 3 || !w.quant_table[scan[i]->quant]) return false;
    if (scan[i]->scanned && !w.progressive) return false;  // a sequential component twice
    scan[i]->scanned = true;
  }
  int ss = w.data[at + 1 + 2 * n], se = w.data[at + 2 + 2 * n];
  int ah = w.data[at + 3 + 2 * n] >> 4, al = w.data[at + 3 + 2 * n] & 15;
  for (int i = 0; i < n; ++i) {
    int tables = w.data[at + 2 + 2 * i];
    bool needs_dc = ss == 0 && ah == 0, needs_ac = se > 0;
    if ((needs_dc && !w.dc_table[tables >> 4]) || (needs_ac && !w.ac_table[tables & 15]))
      return false;
  }
  if (w.progressive) {
    if (!progression_fits(scan, n, ss, se, ah, al)) return false;
  } else if (ss != 0 || se != 63 || ah != 0 || al != 0) {
    return false;
  }
  long mcus;
  if (n > 1) {
    int blocks = 0;  // libjpeg's D_MAX_BLOCKS_IN_MCU, checked at each scan's start
    for (int i = 0; i < n; ++i) blocks += scan[i]->h * scan[i]->v;
    if (blocks > 10) return false;
  }
  if (n == 1) {
    const Component& c = *scan[0];
    long cols = ceil_div(ceil_div(long{w.width} * c.h, w.hmax), 8);
    long rows = ceil_div(ceil_div(long{w.height} * c.v, w.vmax), 8);
    mcus = cols * rows;
  } else {
    mcus = long{ceil_div(w.width, 8 * w.hmax)} * ceil_div(w.height, 8 * w.vmax);
  }
  w.pos = end;
  return read_entropy_coded(w, mcus);
}

}  // namespace

bool detail::jpeg_structure_sound(const uint8_t* data, size_t size) {
  Walk w{data, size};
  if (size < 4 || data[0] != 0xFF || data[1] != 0xD8) return false;
  w.pos = 2;
  for (;;) {
    if (w.pos >= size || data[w.pos] != 0xFF) return false;  // stray bytes, or cut
    while (w.pos < size && data[w.pos] == 0xFF) ++w.pos;       // fill bytes
    if (w.pos >= size) return false;
    int marker = data[w.pos++];
    if (marker == 0xD9) {  // EOI: the last two bytes, after a scan of every component
      if (w.pos != size || w.scans == 0) return false;
      for (int i = 0; i < w.ncomp; ++i)
        if (!w.comp[i].scanned) return false;
      return true;
    }
    if (w.pos + 2 > size) return false;
    size_t len = w.u16(w.pos);
    if (len < 2 || len > size - w.pos) return false;
    size_t at = w.pos + 2, end = w.pos + len;
    w.pos = end;
    bool ok;
    switch (marker) {
      case 0xC0:
      case 0xC1:
      case 0xC2:
        w.progressive = marker == 0xC2;
        ok = read_sof(w, at, end);
        break;
      case 0xC4: ok = read_dht(w, at, end); break;
      case 0xDB: ok = read_dqt(w, at, end); break;
      case 0xDD:
        ok = len == 4;
        if (ok) w.restart_interval = w.u16(at);
        break;
      case 0xDA: ok = read_scan(w, at, end); break;
      case 0xFE: ok = true; break;  // COM
      default: ok = marker >= 0xE0 && marker <= 0xEF;  // APPn; anything else is unusual
    }
    if (!ok) return false;
  }
}

}  // namespace trang::image
