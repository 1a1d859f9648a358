// standin-photo: draws a stand-in "news photo" and writes it as a JPEG.
//
//   standin-photo hall|speaker WIDTH HEIGHT OUT.jpg
//
// The seed article (shared/corpus/can-tho-ban-chi-dao-35.txt) has two photos that are not
// supplied: a conference hall ("Quang cảnh hội nghị") and a speaker at a lectern. Samples and
// tests need files of realistic size and content (1600×1067, a few hundred KB, noisy like a
// camera's, not flat colour that compresses to nothing), so this tool paints them procedurally.
// Output is deterministic: fixed seeds, no clock, no platform RNG distributions.
//
// Scenes are painted back to front (painter's algorithm) into a float RGB canvas, softened by
// a blur (lens), given sensor grain, and encoded with libjpeg at quality 85.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <jpeglib.h>

namespace {

// ---------------------------------------------------------------------------------------------
// Basics: colour, deterministic random numbers, canvas

struct Rgb {
  float r = 0, g = 0, b = 0;
};

Rgb mix(Rgb a, Rgb b, float t) {
  return {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
}
Rgb scale(Rgb c, float k) { return {c.r * k, c.g * k, c.b * k}; }
Rgb hex(uint32_t v) {
  return {((v >> 16) & 0xFF) / 255.0f, ((v >> 8) & 0xFF) / 255.0f, (v & 0xFF) / 255.0f};
}

// SplitMix64: tiny, well distributed, and the same sequence on every platform (unlike the
// distributions of <random>, whose algorithms the standard leaves to the library).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  float uniform() { return static_cast<float>(next() >> 40) / static_cast<float>(1u << 24); }
  float range(float lo, float hi) { return lo + (hi - lo) * uniform(); }
  bool chance(float p) { return uniform() < p; }
  // Box–Muller; one value per call is plenty here.
  float normal() {
    float u = std::max(uniform(), 1e-7f), v = uniform();
    return std::sqrt(-2.0f * std::log(u)) * std::cos(6.2831853f * v);
  }
  template <class T>
  const T& pick(const std::vector<T>& v) {
    return v[next() % v.size()];
  }

 private:
  uint64_t s_;
};

class Canvas {
 public:
  Canvas(int w, int h) : w_(w), h_(h), px_(size_t(w) * size_t(h)) {}
  int width() const { return w_; }
  int height() const { return h_; }
  Rgb& at(int x, int y) { return px_[size_t(y) * w_ + x]; }
  const Rgb& at(int x, int y) const { return px_[size_t(y) * w_ + x]; }
  bool inside(int x, int y) const { return x >= 0 && y >= 0 && x < w_ && y < h_; }
  // Paints `c` over pixel (x, y) with coverage `a` (0..1); outside the canvas is ignored.
  void blend(int x, int y, Rgb c, float a) {
    if (!inside(x, y) || a <= 0) return;
    Rgb& p = at(x, y);
    p = mix(p, c, std::min(a, 1.0f));
  }
  std::vector<Rgb>& pixels() { return px_; }

 private:
  int w_, h_;
  std::vector<Rgb> px_;
};

// ---------------------------------------------------------------------------------------------
// Shapes. Edges get fractional coverage along x; the final blur smooths the rest.

struct P {
  float x, y;
};

// Even-odd scanline fill sampled at pixel centres. Vertices may lie far off the canvas.
void fill_polygon(Canvas& cv, const std::vector<P>& pts, Rgb c, float alpha = 1) {
  if (pts.size() < 3) return;
  float ymin = pts[0].y, ymax = pts[0].y;
  for (const P& p : pts) ymin = std::min(ymin, p.y), ymax = std::max(ymax, p.y);
  int y0 = std::max(0, int(std::floor(ymin))), y1 = std::min(cv.height() - 1, int(std::ceil(ymax)));
  std::vector<float> xs;
  for (int y = y0; y <= y1; ++y) {
    float sy = y + 0.5f;
    xs.clear();
    for (size_t i = 0; i < pts.size(); ++i) {
      P a = pts[i], b = pts[(i + 1) % pts.size()];
      if ((a.y <= sy && b.y > sy) || (b.y <= sy && a.y > sy))
        xs.push_back(a.x + (sy - a.y) / (b.y - a.y) * (b.x - a.x));
    }
    std::sort(xs.begin(), xs.end());
    for (size_t i = 0; i + 1 < xs.size(); i += 2) {
      float xa = std::max(xs[i], -1.0f), xb = std::min(xs[i + 1], float(cv.width()) + 1);
      for (int x = int(std::floor(xa)); x <= int(std::floor(xb)); ++x) {
        float cover = std::min(xb, x + 1.0f) - std::max(xa, float(x));
        cv.blend(x, y, c, alpha * std::clamp(cover, 0.0f, 1.0f));
      }
    }
  }
}

void fill_rect(Canvas& cv, float x0, float y0, float x1, float y1, Rgb c, float alpha = 1) {
  fill_polygon(cv, {{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}, c, alpha);
}

// How an ellipse is lit: a sphere-like normal gives round objects (heads, shoulders, flowers)
// their volume, which is most of what makes a painted blob read as a photographed thing.
struct Light {
  float lx = -0.4f, ly = -0.5f, lz = 0.77f;  // direction towards the light (unit length)
  float ambient = 0.55f, diffuse = 0.55f;
};

void fill_ellipse(Canvas& cv, float cx, float cy, float rx, float ry, Rgb c, float alpha = 1,
                  const Light* light = nullptr) {
  if (rx <= 0 || ry <= 0) return;
  int x0 = std::max(0, int(cx - rx - 1)), x1 = std::min(cv.width() - 1, int(cx + rx + 1));
  int y0 = std::max(0, int(cy - ry - 1)), y1 = std::min(cv.height() - 1, int(cy + ry + 1));
  float edge = std::min(rx, ry);
  for (int y = y0; y <= y1; ++y)
    for (int x = x0; x <= x1; ++x) {
      float u = (x + 0.5f - cx) / rx, v = (y + 0.5f - cy) / ry;
      float d = std::sqrt(u * u + v * v);
      float cover = std::clamp((1.0f - d) * edge + 0.5f, 0.0f, 1.0f);
      if (cover <= 0) continue;
      Rgb col = c;
      if (light) {
        float nz = std::sqrt(std::max(0.0f, 1.0f - d * d));
        float lambert = std::max(0.0f, u * light->lx + v * light->ly + nz * light->lz);
        col = scale(c, light->ambient + light->diffuse * lambert);
      }
      cv.blend(x, y, col, alpha * cover);
    }
}

// Additive glow, for lamps: light adds, it does not paint over.
void glow(Canvas& cv, float cx, float cy, float radius, Rgb c) {
  int r = int(radius * 3);
  for (int y = std::max(0, int(cy) - r); y <= std::min(cv.height() - 1, int(cy) + r); ++y)
    for (int x = std::max(0, int(cx) - r); x <= std::min(cv.width() - 1, int(cx) + r); ++x) {
      float dx = (x - cx) / radius, dy = (y - cy) / radius;
      float k = std::exp(-(dx * dx + dy * dy));
      Rgb& p = cv.at(x, y);
      p = {p.r + c.r * k, p.g + c.g * k, p.b + c.b * k};
    }
}

void vertical_gradient(Canvas& cv, float y0, float y1, Rgb top, Rgb bottom) {
  for (int y = 0; y < cv.height(); ++y) {
    float t = std::clamp((y - y0) / (y1 - y0), 0.0f, 1.0f);
    Rgb c = mix(top, bottom, t);
    for (int x = 0; x < cv.width(); ++x) cv.at(x, y) = c;
  }
}

// A five-pointed star (the emblem on every Vietnamese conference backdrop).
void fill_star(Canvas& cv, float cx, float cy, float r, Rgb c) {
  std::vector<P> pts;
  for (int i = 0; i < 10; ++i) {
    float a = -1.5707963f + i * 3.14159265f / 5;
    float rr = i % 2 ? r * 0.382f : r;
    pts.push_back({cx + rr * std::cos(a), cy + rr * std::sin(a)});
  }
  fill_polygon(cv, pts, c);
}

// A line of capital-letter-like marks: from a distance, and a little blurred, it reads as the
// slogan on a backdrop. Each mark is 2–4 strokes of a letter box (stems, bars, a diagonal).
void pseudo_text(Canvas& cv, float cx, float y, float cap, float width, Rgb c, Rng& rng) {
  const float adv = cap * 0.78f, stroke = std::max(1.0f, cap * 0.16f), lw = cap * 0.6f;
  std::vector<int> word_lengths;
  float total = 0;
  while (total < width) {
    int n = 2 + int(rng.next() % 7);
    word_lengths.push_back(n);
    total += (n + 0.8f) * adv;
  }
  float x = cx - total / 2;
  for (int n : word_lengths) {
    for (int i = 0; i < n; ++i, x += adv) {
      unsigned strokes = 1 + unsigned(rng.next() % 63);
      if (strokes & 1) fill_rect(cv, x, y, x + stroke, y + cap, c);
      if (strokes & 2) fill_rect(cv, x + lw - stroke, y, x + lw, y + cap, c);
      if (strokes & 4) fill_rect(cv, x, y, x + lw, y + stroke, c);
      if (strokes & 8)
        fill_rect(cv, x, y + cap / 2 - stroke / 2, x + lw, y + cap / 2 + stroke / 2, c);
      if (strokes & 16) fill_rect(cv, x, y + cap - stroke, x + lw, y + cap, c);
      if (strokes & 32)
        fill_polygon(cv, {{x, y + cap}, {x + stroke, y + cap}, {x + lw, y}, {x + lw - stroke, y}},
                     c);
    }
    x += adv * 0.8f;
  }
}

// ---------------------------------------------------------------------------------------------
// Photographic finish

// One box-blur pass along rows (horizontal) or columns; three passes approximate a Gaussian.
void box_pass(Canvas& cv, int r, bool horizontal) {
  const int n = horizontal ? cv.width() : cv.height();
  const int lines = horizontal ? cv.height() : cv.width();
  std::vector<Rgb> line(static_cast<size_t>(n));
  for (int l = 0; l < lines; ++l) {
    auto px = [&](int i) -> Rgb& { return horizontal ? cv.at(i, l) : cv.at(l, i); };
    for (int i = 0; i < n; ++i) line[i] = px(i);
    Rgb sum{};
    auto add = [&](int i, float k) {
      const Rgb& c = line[std::clamp(i, 0, n - 1)];
      sum = {sum.r + k * c.r, sum.g + k * c.g, sum.b + k * c.b};
    };
    for (int i = -r; i <= r; ++i) add(i, 1);
    const float inv = 1.0f / (2 * r + 1);
    for (int i = 0; i < n; ++i) {
      px(i) = scale(sum, inv);
      add(i + r + 1, 1);
      add(i - r, -1);
    }
  }
}

void blur(Canvas& cv, int radius) {
  if (radius <= 0) return;
  for (int pass = 0; pass < 3; ++pass) {
    box_pass(cv, radius, true);
    box_pass(cv, radius, false);
  }
}

// Darkens the corners as a real lens does.
void vignette(Canvas& cv, float strength) {
  const float cx = cv.width() / 2.0f, cy = cv.height() / 2.0f;
  const float norm = cx * cx + cy * cy;
  for (int y = 0; y < cv.height(); ++y)
    for (int x = 0; x < cv.width(); ++x) {
      float d = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / norm;
      cv.at(x, y) = scale(cv.at(x, y), 1.0f - strength * d * d);
    }
}

// Sensor grain: luminance noise, stronger in the shadows (as shot noise and high ISO are),
// plus a little colour noise. Indoor conference photos are shot at high ISO.
void grain(Canvas& cv, float sigma, Rng& rng) {
  for (Rgb& p : cv.pixels()) {
    float lum = 0.3f * p.r + 0.59f * p.g + 0.11f * p.b;
    float k = sigma * (1.4f - 0.8f * std::clamp(lum, 0.0f, 1.0f));
    float n = rng.normal() * k;
    p = {p.r + n + rng.normal() * k * 0.3f, p.g + n, p.b + n + rng.normal() * k * 0.3f};
  }
}

// ---------------------------------------------------------------------------------------------
// Scene: the conference hall, seen from the back of the room over the audience

// A pinhole camera: world metres (x right, y down, z away) to pixels.
struct Camera {
  float f, cx, cy;
  P project(float x, float y, float z) const { return {cx + f * x / z, cy + f * y / z}; }
};

// The room, in metres from the camera (eye at y = 0; the floor is below, y positive).
struct Hall {
  float eye = 1.7f;       // camera height above the floor
  float ceiling = -6.0f;  // ceiling y
  float half_width = 10.8f;
  float back = 30.0f;  // back wall z
  float stage_front = 24.0f;
  float stage_top = 0.6f;  // stage floor y (1.1 m above the hall floor)
};

const std::vector<Rgb>& hair_colours() {
  static const std::vector<Rgb> v = {hex(0x16120f), hex(0x1d1712), hex(0x0f0d0c),
                                     hex(0x2a2018), hex(0x3a342f), hex(0x6b6660)};
  return v;
}
const std::vector<Rgb>& clothes_colours() {
  static const std::vector<Rgb> v = {hex(0xe9ecef), hex(0xf2f2ee), hex(0xcfdcea), hex(0x1f2a3c),
                                     hex(0x2b3440), hex(0x5d6b45), hex(0x4f5d3a), hex(0xdfe6ee)};
  return v;
}
const std::vector<Rgb>& skin_colours() {
  static const std::vector<Rgb> v = {hex(0xc99a78), hex(0xb98665), hex(0xd4a98a), hex(0xa8765a)};
  return v;
}

void paint_room_shell(Canvas& cv, const Camera& cam, const Hall& h) {
  const float W = h.half_width, zn = 0.5f, zb = h.back;
  // Ceiling, then the side walls (beige above a wood wainscot), then the carpet.
  fill_polygon(cv,
               {cam.project(-W, h.ceiling, zn), cam.project(W, h.ceiling, zn),
                cam.project(W, h.ceiling, zb), cam.project(-W, h.ceiling, zb)},
               hex(0xb9ad97));
  for (float side : {-1.0f, 1.0f}) {
    float x = side * W;
    fill_polygon(cv,
                 {cam.project(x, h.ceiling, zn), cam.project(x, h.ceiling, zb),
                  cam.project(x, h.eye, zb), cam.project(x, h.eye, zn)},
                 hex(0xcdbb9a));
    fill_polygon(cv,
                 {cam.project(x, h.eye - 1.3f, zn), cam.project(x, h.eye - 1.3f, zb),
                  cam.project(x, h.eye, zb), cam.project(x, h.eye, zn)},
                 hex(0x6e4a2e));
    // Tall curtained windows between pilasters, receding towards the stage.
    for (float z = 2.0f; z < zb - 2; z += 3.2f) {
      fill_polygon(cv,
                   {cam.project(x, h.ceiling + 0.8f, z), cam.project(x, h.ceiling + 0.8f, z + 1.6f),
                    cam.project(x, h.eye - 1.4f, z + 1.6f), cam.project(x, h.eye - 1.4f, z)},
                   hex(0x8a2f28));
      fill_polygon(cv,
                   {cam.project(x, h.ceiling, z + 2.4f), cam.project(x, h.ceiling, z + 2.8f),
                    cam.project(x, h.eye, z + 2.8f), cam.project(x, h.eye, z + 2.4f)},
                   hex(0xa8967a));
    }
  }
  fill_polygon(cv,
               {cam.project(-W, h.eye, zn), cam.project(W, h.eye, zn), cam.project(W, h.eye, zb),
                cam.project(-W, h.eye, zb)},
               hex(0x5a2424));
  fill_polygon(cv,
               {cam.project(-W, h.ceiling, zb), cam.project(W, h.ceiling, zb),
                cam.project(W, h.eye, zb), cam.project(-W, h.eye, zb)},
               hex(0xd8ccb4));
}

// The stage: platform, the red backdrop with star and slogan, the presidium table with its
// delegates facing the hall, and a lectern to one side.
void paint_stage(Canvas& cv, const Camera& cam, const Hall& h, Rng& rng) {
  const float zb = h.back - 0.01f, zf = h.stage_front;
  // Backdrop, lit from the front: brighter in the middle.
  P tl = cam.project(-7.5f, -4.4f, zb), br = cam.project(7.5f, h.stage_top, zb);
  for (int y = int(tl.y); y < int(br.y); ++y)
    for (int x = int(tl.x); x < int(br.x); ++x) {
      float u = (x - tl.x) / (br.x - tl.x) - 0.5f, v = (y - tl.y) / (br.y - tl.y);
      cv.blend(x, y, scale(hex(0xb3121a), 1.05f - 0.5f * u * u - 0.15f * v), 1);
    }
  const Rgb gold = hex(0xf3d24a);
  float unit = cam.f / zb;  // pixels per metre on the back wall
  fill_star(cv, tl.x + 1.4f * unit, tl.y + 1.3f * unit, 0.85f * unit, gold);
  float mid = (tl.x + br.x) / 2 + 0.6f * unit;
  pseudo_text(cv, mid, tl.y + 0.55f * unit, 0.32f * unit, 9.0f * unit, hex(0xfbf3d0), rng);
  pseudo_text(cv, mid, tl.y + 1.25f * unit, 0.55f * unit, 11.0f * unit, gold, rng);
  pseudo_text(cv, mid, tl.y + 2.15f * unit, 0.55f * unit, 8.5f * unit, gold, rng);
  pseudo_text(cv, mid, tl.y + 3.3f * unit, 0.28f * unit, 6.0f * unit, hex(0xfbf3d0), rng);

  // Platform: top surface and the dark front face.
  fill_polygon(
      cv,
      {cam.project(-h.half_width, h.stage_top, zf), cam.project(h.half_width, h.stage_top, zf),
       cam.project(h.half_width, h.stage_top, zb), cam.project(-h.half_width, h.stage_top, zb)},
      hex(0x7b4f31));
  fill_polygon(
      cv,
      {cam.project(-h.half_width, h.stage_top, zf), cam.project(h.half_width, h.stage_top, zf),
       cam.project(h.half_width, h.eye, zf), cam.project(-h.half_width, h.eye, zf)},
      hex(0x3b2418));

  // Delegates behind the presidium table, faces towards the camera.
  const float zt = 27.0f, seat_y = h.stage_top - 1.25f;
  Light face_light{0.0f, -0.3f, 0.95f, 0.45f, 0.65f};
  for (float x = -5.6f; x <= 5.61f; x += 0.8f) {
    float s = cam.f / (zt + 0.5f);
    P head = cam.project(x + rng.range(-0.05f, 0.05f), seat_y, zt + 0.5f);
    fill_ellipse(cv, head.x, head.y + 0.36f * s, 0.27f * s, 0.22f * s, rng.pick(clothes_colours()),
                 1, &face_light);
    fill_ellipse(cv, head.x, head.y, 0.1f * s, 0.13f * s, rng.pick(skin_colours()), 1, &face_light);
    fill_ellipse(cv, head.x, head.y - 0.07f * s, 0.105f * s, 0.07f * s, rng.pick(hair_colours()));
  }
  // Table: white cloth, a line of flowers along the front edge.
  float top = h.stage_top - 0.78f;
  fill_polygon(cv,
               {cam.project(-6.2f, top, zt), cam.project(6.2f, top, zt),
                cam.project(6.2f, h.stage_top, zt), cam.project(-6.2f, h.stage_top, zt)},
               hex(0xf4f1ea));
  fill_polygon(cv,
               {cam.project(-6.2f, top, zt), cam.project(6.2f, top, zt),
                cam.project(6.2f, top + 0.12f, zt), cam.project(-6.2f, top + 0.12f, zt)},
               hex(0x1d4f9c));
  const std::vector<Rgb> petals = {hex(0xf1c232), hex(0xe06666), hex(0xf6b26b), hex(0xffffff)};
  float fs = cam.f / zt;
  for (float x = -6.1f; x <= 6.1f; x += 0.09f) {
    P p = cam.project(x, h.stage_top - 0.05f + rng.range(-0.1f, 0.05f), zt - 0.3f);
    fill_ellipse(cv, p.x, p.y, 0.09f * fs, 0.07f * fs,
                 rng.chance(0.35f) ? hex(0x3d6b2a) : rng.pick(petals));
  }
  // Lectern on the left of the stage.
  fill_polygon(cv,
               {cam.project(-8.6f, h.stage_top - 1.15f, 25.5f),
                cam.project(-7.6f, h.stage_top - 1.15f, 25.5f),
                cam.project(-7.7f, h.stage_top, 25.5f), cam.project(-8.5f, h.stage_top, 25.5f)},
               hex(0x6a3b1f));
  P emblem = cam.project(-8.1f, h.stage_top - 0.75f, 25.4f);
  fill_ellipse(cv, emblem.x, emblem.y, 0.18f * fs, 0.18f * fs, hex(0xc9a233));
}

// Rows of seated people seen from behind, far rows first; each row's seat backs are painted
// after its people because they stand between them and the camera.
void paint_audience(Canvas& cv, const Camera& cam, const Hall& h, Rng& rng) {
  Light back_light{0.2f, -0.7f, 0.68f, 0.5f, 0.6f};
  for (float z = 21.0f; z >= 2.6f; z -= 1.05f) {
    const float s = cam.f / z;
    for (float x = -h.half_width + 0.9f; x <= h.half_width - 0.9f; x += 0.56f) {
      if (std::fabs(x) < 0.9f) continue;  // centre aisle
      if (rng.chance(0.12f)) continue;    // an empty seat
      float jitter = rng.range(-0.05f, 0.05f);
      float head_y = h.eye - rng.range(1.18f, 1.3f);
      P shoulders = cam.project(x + jitter, h.eye - 1.0f, z);
      fill_ellipse(cv, shoulders.x, shoulders.y, 0.23f * s, 0.16f * s, rng.pick(clothes_colours()),
                   1, &back_light);
      P head = cam.project(x + jitter * 2, head_y, z);
      fill_ellipse(cv, head.x, head.y + 0.12f * s, 0.055f * s, 0.06f * s,
                   rng.pick(skin_colours()));  // neck
      fill_ellipse(cv, head.x, head.y, 0.1f * s, 0.12f * s, rng.pick(hair_colours()), 1,
                   &back_light);
    }
    // Seat backs, dark red upholstery, a little in front of the row.
    for (float x = -h.half_width + 0.9f; x <= h.half_width - 0.9f; x += 0.56f) {
      if (std::fabs(x) < 0.9f) continue;
      P a = cam.project(x - 0.25f, h.eye - 0.88f, z - 0.3f),
        b = cam.project(x + 0.25f, h.eye - 0.3f, z - 0.3f);
      fill_rect(cv, a.x, a.y, b.x, b.y, hex(0x5c1a1f));
      fill_rect(cv, a.x, a.y, b.x, a.y + (b.y - a.y) * 0.12f, hex(0x7a2a2e));
    }
  }
}

void paint_ceiling_lights(Canvas& cv, const Camera& cam, const Hall& h) {
  for (float z = 3.0f; z < h.back; z += 3.0f)
    for (float x = -8.0f; x <= 8.01f; x += 4.0f) {
      P p = cam.project(x, h.ceiling + 0.05f, z);
      glow(cv, p.x, p.y, std::max(1.5f, 0.22f * cam.f / z), hex(0xfff1cf));
    }
}

// Warm key light from the stage and ceiling, falling off towards the camera.
void hall_lighting(Canvas& cv) {
  for (int y = 0; y < cv.height(); ++y)
    for (int x = 0; x < cv.width(); ++x) {
      float v = float(y) / cv.height();
      Rgb& p = cv.at(x, y);
      float k = 1.05f - 0.25f * v;
      p = {p.r * k * 1.04f, p.g * k, p.b * k * 0.92f};
    }
}

Canvas paint_hall(int w, int hgt) {
  Canvas cv(w, hgt);
  Rng rng(20251120);
  Camera cam{float(w), w / 2.0f, hgt * 0.40f};
  Hall hall;
  paint_room_shell(cv, cam, hall);
  paint_stage(cv, cam, hall, rng);
  paint_audience(cv, cam, hall, rng);
  blur(cv, std::max(1, w / 1600));
  paint_ceiling_lights(cv, cam, hall);
  hall_lighting(cv);
  vignette(cv, 0.45f);
  grain(cv, 0.022f, rng);
  return cv;
}

// ---------------------------------------------------------------------------------------------
// Scene: a speaker at a lectern, in front of the red backdrop (telephoto, shallow focus)

void paint_speaker_backdrop(Canvas& cv, Rng& rng) {
  const float w = cv.width(), h = cv.height();
  vertical_gradient(cv, 0, h, hex(0xc0161d), hex(0x8e0f15));
  const Rgb gold = hex(0xf3d24a);
  pseudo_text(cv, w * 0.62f, h * 0.05f, h * 0.07f, w * 1.1f, gold, rng);
  pseudo_text(cv, w * 0.55f, h * 0.17f, h * 0.07f, w * 0.9f, gold, rng);
  pseudo_text(cv, w * 0.5f, h * 0.30f, h * 0.035f, w * 0.6f, hex(0xfbf3d0), rng);
  fill_star(cv, w * 0.06f, h * 0.16f, h * 0.12f, gold);
  // A pale spotlight pool on the backdrop behind the speaker.
  for (int y = 0; y < cv.height(); ++y)
    for (int x = 0; x < cv.width(); ++x) {
      float dx = (x - w * 0.45f) / (w * 0.45f), dy = (y - h * 0.35f) / (h * 0.6f);
      cv.at(x, y) = scale(cv.at(x, y), 0.8f + 0.35f * std::exp(-(dx * dx + dy * dy)));
    }
}

// Head and shoulders of a man in a dark suit, white shirt and red tie, reading his notes.
// Sizes are in units of `u` (pixels at the reference height of 1067) around the head centre.
void paint_speaker(Canvas& cv) {
  const float w = cv.width(), h = cv.height(), u = h / 1067.0f;
  const float cx = w * 0.46f, hy = h * 0.30f;  // head centre
  Light key{-0.55f, -0.45f, 0.70f, 0.45f, 0.7f};
  const Rgb suit = hex(0x1e2430), skin = hex(0xc48f6c), hair = hex(0x17130f);
  // Suit: shoulders sloping from the collar to rounded deltoids, the torso down behind the
  // lectern, and a broad soft highlight where the key light falls.
  fill_polygon(cv,
               {{cx - 70 * u, hy + 140 * u},
                {cx + 70 * u, hy + 140 * u},
                {cx + 235 * u, hy + 200 * u},
                {cx + 295 * u, hy + 270 * u},
                {cx + 305 * u, h},
                {cx - 305 * u, h},
                {cx - 295 * u, hy + 270 * u},
                {cx - 235 * u, hy + 200 * u}},
               suit);
  for (float side : {-1.0f, 1.0f})
    fill_ellipse(cv, cx + side * 250 * u, hy + 262 * u, 55 * u, 64 * u, suit);
  fill_ellipse(cv, cx - 140 * u, hy + 320 * u, 110 * u, 90 * u, hex(0x3a4352), 0.3f);
  // Neck, then shirt collar and tie in the open jacket.
  fill_rect(cv, cx - 46 * u, hy + 60 * u, cx + 46 * u, hy + 170 * u, scale(skin, 0.78f));
  fill_polygon(cv, {{cx - 62 * u, hy + 140 * u}, {cx + 62 * u, hy + 140 * u}, {cx, hy + 380 * u}},
               hex(0xeef0f2));
  fill_polygon(cv,
               {{cx - 15 * u, hy + 160 * u},
                {cx + 15 * u, hy + 160 * u},
                {cx + 24 * u, hy + 330 * u},
                {cx, hy + 370 * u},
                {cx - 24 * u, hy + 330 * u}},
               hex(0x8f1d22));
  fill_polygon(
      cv, {{cx - 66 * u, hy + 140 * u}, {cx - 14 * u, hy + 380 * u}, {cx - 150 * u, hy + 240 * u}},
      hex(0x151a22));
  fill_polygon(
      cv, {{cx + 66 * u, hy + 140 * u}, {cx + 14 * u, hy + 380 * u}, {cx + 150 * u, hy + 240 * u}},
      hex(0x151a22));
  // Hair at the back of the head, ears, face, then the hairline over the forehead.
  fill_ellipse(cv, cx, hy - 18 * u, 90 * u, 100 * u, hair, 1, &key);
  fill_ellipse(cv, cx - 82 * u, hy + 8 * u, 15 * u, 28 * u, skin, 1, &key);
  fill_ellipse(cv, cx + 82 * u, hy + 8 * u, 15 * u, 28 * u, skin, 1, &key);
  fill_ellipse(cv, cx, hy + 8 * u, 80 * u, 104 * u, skin, 1, &key);
  fill_ellipse(cv, cx, hy - 78 * u, 84 * u, 44 * u, hair, 1, &key);
  fill_ellipse(cv, cx - 74 * u, hy - 40 * u, 10 * u, 30 * u, hex(0x57504a),
               0.6f);  // greying temples
  fill_ellipse(cv, cx + 74 * u, hy - 40 * u, 10 * u, 30 * u, hex(0x57504a), 0.6f);
  // Brows, lowered eyes behind thin-rimmed glasses, nose shadow, mouth.
  for (float side : {-1.0f, 1.0f}) {
    float ex = cx + side * 33 * u, ey = hy;
    fill_rect(cv, ex - 20 * u, ey - 22 * u, ex + 20 * u, ey - 16 * u, hex(0x2a1f18));
    fill_ellipse(cv, ex, ey, 27 * u, 20 * u, hex(0x202020), 0.6f);
    fill_ellipse(cv, ex, ey, 24 * u, 17 * u, skin, 0.9f, &key);
    fill_ellipse(cv, ex, ey + 2 * u, 13 * u, 4 * u, hex(0x3a2a22));
  }
  fill_rect(cv, cx - 9 * u, hy - 4 * u, cx + 9 * u, hy - 1 * u, hex(0x202020));  // bridge
  fill_ellipse(cv, cx + 6 * u, hy + 40 * u, 10 * u, 22 * u, scale(skin, 0.8f), 0.5f);
  fill_ellipse(cv, cx, hy + 78 * u, 28 * u, 5 * u, hex(0x8a5546));
}

// The lectern in front: polished wood with grain, a gold emblem, two microphones, flowers.
void paint_lectern(Canvas& cv, Rng& rng) {
  const float w = cv.width(), h = cv.height(), u = h / 1067.0f;
  const float top = h * 0.63f, l = w * 0.25f, r = w * 0.71f;
  for (int y = int(top); y < cv.height(); ++y) {
    float t = (y - top) / (h - top);
    float xl = l - t * 40 * u, xr = r + t * 40 * u;
    for (int x = std::max(0, int(xl)); x < std::min(cv.width(), int(xr)); ++x) {
      float grain_v = 0.08f * std::sin(x * 0.09f + 3 * std::sin(y * 0.004f + x * 0.013f));
      float side = (x - xl) / (xr - xl);
      cv.at(x, y) = scale(hex(0x7a4424), 0.85f + grain_v + 0.3f * side * (1 - side));
    }
  }
  fill_rect(cv, l - 12 * u, top - 16 * u, r + 12 * u, top + 6 * u, hex(0x5b3019));  // top edge
  fill_rect(cv, l - 12 * u, top - 16 * u, r + 12 * u, top - 11 * u, hex(0xa8734a));
  const Light metal{};
  float ex = (l + r) / 2, ey = top + 130 * u;
  fill_ellipse(cv, ex, ey, 62 * u, 62 * u, hex(0xd5ad3b), 1, &metal);
  fill_ellipse(cv, ex, ey, 48 * u, 48 * u, hex(0xb3121a));
  fill_star(cv, ex, ey, 34 * u, hex(0xf3d24a));
  // Microphones on goosenecks, aimed at the speaker's mouth.
  for (float side : {-1.0f, 1.0f}) {
    float bx = ex + side * 60 * u, by = top - 10 * u, mx = ex + side * 26 * u, my = h * 0.46f;
    for (float t = 0; t <= 1; t += 0.002f) {
      float x = bx + (mx - bx) * t + side * 30 * u * std::sin(t * 3.14159f);
      float y = by + (my - by) * t;
      fill_ellipse(cv, x, y, 3.2f * u, 3.2f * u, hex(0x1a1a1a));
    }
    fill_ellipse(cv, mx, my, 13 * u, 17 * u, hex(0x111111), 1, &metal);
  }
  // Flowers banked along the foot of the lectern: many small blooms among leaves.
  const std::vector<Rgb> petals = {hex(0xf1c232), hex(0xf6b26b), hex(0xe06666), hex(0xfff2cc),
                                   hex(0xd5a6bd)};
  Light soft{-0.4f, -0.6f, 0.69f, 0.5f, 0.6f};
  for (int i = 0; i < 900; ++i) {
    float x = rng.range(l - 70 * u, r + 70 * u), y = rng.range(h * 0.91f, h * 1.02f);
    bool leaf = rng.chance(0.5f);
    float rad = rng.range(6, 15) * u;
    fill_ellipse(cv, x, y, rad * (leaf ? 1.8f : 1), rad * (leaf ? 0.55f : 1),
                 leaf ? scale(hex(0x3d6b2a), rng.range(0.6f, 1.1f)) : rng.pick(petals), 1, &soft);
  }
}

Canvas paint_speaker_scene(int w, int hgt) {
  Canvas cv(w, hgt);
  Rng rng(20251121);
  paint_speaker_backdrop(cv, rng);
  blur(cv, std::max(2, w / 220));  // the backdrop is out of focus behind the speaker
  paint_speaker(cv);
  paint_lectern(cv, rng);
  blur(cv, std::max(1, w / 800));
  vignette(cv, 0.35f);
  grain(cv, 0.02f, rng);
  return cv;
}

// ---------------------------------------------------------------------------------------------
// Output

using FilePtr = std::unique_ptr<std::FILE, decltype(&std::fclose)>;

// Owns the libjpeg compressor and the buffer jpeg_mem_dest allocates.
struct JpegEncoder {
  jpeg_compress_struct c{};
  jpeg_error_mgr err{};
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  JpegEncoder() {
    // Default error handling (message, exit) is right for this command-line tool: libjpeg
    // only fails here on out-of-memory, and it encodes pixels we made ourselves.
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &buf, &size);
  }
  JpegEncoder(const JpegEncoder&) = delete;
  JpegEncoder& operator=(const JpegEncoder&) = delete;
  ~JpegEncoder() {
    jpeg_destroy_compress(&c);
    std::free(buf);
  }
};

uint8_t to_byte(float v) {
  return static_cast<uint8_t>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255));
}

// Encodes at quality 85 with 4:2:0 chroma, optimised Huffman tables and a 300 dpi JFIF
// density, as a newsroom's export would.
std::string encode_jpeg(const Canvas& cv) {
  JpegEncoder enc;
  jpeg_compress_struct& c = enc.c;
  c.image_width = static_cast<JDIMENSION>(cv.width());
  c.image_height = static_cast<JDIMENSION>(cv.height());
  c.input_components = 3;
  c.in_color_space = JCS_RGB;
  jpeg_set_defaults(&c);
  jpeg_set_quality(&c, 85, TRUE);
  c.optimize_coding = TRUE;
  c.density_unit = 1;
  c.X_density = c.Y_density = 300;
  jpeg_start_compress(&c, TRUE);
  std::vector<JSAMPLE> row(size_t(cv.width()) * 3);
  while (c.next_scanline < c.image_height) {
    int y = static_cast<int>(c.next_scanline);
    for (int x = 0; x < cv.width(); ++x) {
      const Rgb& p = cv.at(x, y);
      row[size_t(x) * 3] = to_byte(p.r);
      row[size_t(x) * 3 + 1] = to_byte(p.g);
      row[size_t(x) * 3 + 2] = to_byte(p.b);
    }
    JSAMPROW rows[1] = {row.data()};
    jpeg_write_scanlines(&c, rows, 1);
  }
  jpeg_finish_compress(&c);
  return std::string(reinterpret_cast<char*>(enc.buf), enc.size);
}

bool write_file(const std::string& path, const std::string& bytes) {
  FilePtr f(std::fopen(path.c_str(), "wb"), &std::fclose);
  if (!f) return false;
  if (std::fwrite(bytes.data(), 1, bytes.size(), f.get()) != bytes.size()) return false;
  return std::fflush(f.get()) == 0;
}

int usage() {
  std::fprintf(stderr,
               "usage: standin-photo hall|speaker WIDTH HEIGHT OUT.jpg\n"
               "  hall     a conference hall seen over the audience, red backdrop on stage\n"
               "  speaker  a speaker at a lectern in front of a red backdrop\n");
  return 2;
}

bool parse_size(const char* s, int& out) {
  char* end = nullptr;
  long v = std::strtol(s, &end, 10);
  if (end == s || *end != '\0' || v < 64 || v > 10000) return false;
  out = static_cast<int>(v);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return usage();
  std::string_view scene = argv[1];
  int w = 0, h = 0;
  if (!parse_size(argv[2], w) || !parse_size(argv[3], h)) {
    std::fprintf(stderr,
                 "standin-photo: WIDTH and HEIGHT must be whole numbers from 64 to 10000\n");
    return 2;
  }
  if (scene != "hall" && scene != "speaker") return usage();
  Canvas cv = scene == "hall" ? paint_hall(w, h) : paint_speaker_scene(w, h);
  std::string jpeg = encode_jpeg(cv);
  if (!write_file(argv[4], jpeg)) {
    std::fprintf(stderr, "standin-photo: cannot write '%s'\n", argv[4]);
    return 1;
  }
  std::printf("%s: %dx%d, %zu bytes\n", argv[4], w, h, jpeg.size());
  return 0;
}
