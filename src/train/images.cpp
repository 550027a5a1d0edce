#include "d2l/train/images.h"

#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "d2l/error.h"
#include "d2l/io/files.h"
#include "d2l/train/plot.h"

namespace d2l::train {

namespace {

void put_u32(std::string& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out += static_cast<char>((v >> shift) & 0xff);
}

// One PNG chunk: length, type, data, and the CRC of type and data.
void put_chunk(std::string& out, const char* type, const std::string& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t start = out.size();
  out += type;
  out += data;
  const auto* bytes = reinterpret_cast<const Bytef*>(out.data() + start);
  put_u32(out, static_cast<std::uint32_t>(crc32(0L, bytes, static_cast<uInt>(out.size() - start))));
}

std::string base64(const std::string& in) {
  static constexpr char kDigits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, in.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) v = v << 8 | (k < n ? static_cast<unsigned char>(in[i + k]) : 0u);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kDigits[(v >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> lines(1);
  for (char c : s) {
    if (c == '\n') lines.emplace_back();
    else lines.back() += c;
  }
  return lines;
}

// The images as N gray H x W byte arrays.
struct Gray {
  std::int64_t count = 0, height = 0, width = 0;
  std::vector<std::uint8_t> pixels;  // count * height * width
  const std::uint8_t* image(std::int64_t i) const { return pixels.data() + i * height * width; }
};

Gray to_gray(const Tensor& images) {
  D2L_CHECK(images.defined(), "show_images: images is an undefined tensor");
  const std::int64_t dim = images.dim();
  D2L_CHECK(dim == 2 || dim == 3 || (dim == 4 && images.size(1) == 1),
            "show_images: images must be N x 1 x H x W, N x H x W or H x W (grayscale), got shape ",
            shape_str(images.shape()));
  Gray g;
  g.count = dim == 2 ? 1 : images.size(0);
  g.height = images.size(-2);
  g.width = images.size(-1);
  const Tensor t = images.detach().contiguous();
  g.pixels.resize(static_cast<std::size_t>(t.numel()));
  const bool floating = is_floating(t.dtype());
  D2L_DISPATCH_ALL(t.dtype(), [&] {
    const scalar_t* p = t.data_ptr<scalar_t>();
    for (std::size_t i = 0; i < g.pixels.size(); ++i) {
      double v = static_cast<double>(p[i]);
      if (floating) v *= 255.0;
      if (t.dtype() == kBool) v *= 255.0;
      g.pixels[i] = static_cast<std::uint8_t>(std::isnan(v) ? 0.0 : std::round(std::clamp(v, 0.0, 255.0)));
    }
  });
  return g;
}

// The bare grid: images at their own size, 2 white pixels between them.
std::string grid_png(const Gray& g, std::int64_t count, std::int64_t rows, std::int64_t cols) {
  constexpr std::int64_t gap = 2;
  const std::int64_t width = cols * g.width + (cols - 1) * gap, height = rows * g.height + (rows - 1) * gap;
  std::vector<std::uint8_t> canvas(static_cast<std::size_t>(width * height), 255);
  for (std::int64_t i = 0; i < count; ++i) {
    const std::int64_t x0 = (i % cols) * (g.width + gap), y0 = (i / cols) * (g.height + gap);
    for (std::int64_t r = 0; r < g.height; ++r)
      std::copy_n(g.image(i) + r * g.width, g.width, canvas.begin() + (y0 + r) * width + x0);
  }
  return encode_png(canvas, width, height);
}

std::string grid_svg(const Gray& g, std::int64_t count, std::int64_t rows, std::int64_t cols,
                     const std::vector<std::string>& titles, double scale) {
  constexpr double line_height = 12, pad = 6;
  std::size_t title_lines = 0;
  for (std::int64_t i = 0; i < count && i < static_cast<std::int64_t>(titles.size()); ++i)
    title_lines = std::max(title_lines, lines_of(titles[i]).size());
  const double image_w = 64 * scale, image_h = image_w * static_cast<double>(g.height) / static_cast<double>(g.width);
  const double title_h = title_lines ? static_cast<double>(title_lines) * line_height + 3 : 0;
  const double cell_w = image_w + pad, cell_h = title_h + image_h + pad;
  const double width = static_cast<double>(cols) * cell_w + pad, height = static_cast<double>(rows) * cell_h + pad;

  std::ostringstream svg;
  svg << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width << "\" height=\"" << height
      << "\" font-family=\"sans-serif\" font-size=\"10\">\n"
      << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  for (std::int64_t i = 0; i < count; ++i) {
    const double x = pad + static_cast<double>(i % cols) * cell_w, y = pad + static_cast<double>(i / cols) * cell_h;
    if (i < static_cast<std::int64_t>(titles.size())) {
      const auto lines = lines_of(titles[i]);
      svg << "<text x=\"" << x + image_w / 2 << "\" y=\"" << y + line_height - 2 << "\" text-anchor=\"middle\">";
      for (std::size_t k = 0; k < lines.size(); ++k)
        svg << "<tspan x=\"" << x + image_w / 2 << "\" dy=\"" << (k ? line_height : 0) << "\">" << xml_escape(lines[k])
            << "</tspan>";
      svg << "</text>\n";
    }
    const std::vector<std::uint8_t> pixels(g.image(i), g.image(i) + g.height * g.width);
    svg << "<image x=\"" << x << "\" y=\"" << y + title_h << "\" width=\"" << image_w << "\" height=\"" << image_h
        << "\" preserveAspectRatio=\"none\" style=\"image-rendering:pixelated\" href=\"data:image/png;base64,"
        << base64(encode_png(pixels, g.width, g.height)) << "\"/>\n";
  }
  svg << "</svg>\n";
  return svg.str();
}

bool ends_with(const std::string& s, const std::string& suffix) {
  // Case-insensitive: `suffix` is lower case.
  return s.size() >= suffix.size() &&
         std::equal(suffix.rbegin(), suffix.rend(), s.rbegin(),
                    [](char lower, char c) { return lower == std::tolower(static_cast<unsigned char>(c)); });
}

}  // namespace

std::string encode_png(const std::vector<std::uint8_t>& pixels, std::int64_t width, std::int64_t height) {
  D2L_CHECK(width > 0 && height > 0 && width < (1 << 24) && height < (1 << 24), "encode_png: bad size ", width,
            " x ", height);
  D2L_CHECK(static_cast<std::int64_t>(pixels.size()) == width * height, "encode_png: ", pixels.size(),
            " pixels for ", width, " x ", height);
  // Each row starts with its filter type; 0 (none) keeps the encoder trivial, and zlib still
  // shrinks the flat backgrounds of these images well.
  std::string raw;
  raw.reserve(static_cast<std::size_t>((width + 1) * height));
  for (std::int64_t r = 0; r < height; ++r) {
    raw += '\0';
    raw.append(reinterpret_cast<const char*>(pixels.data() + r * width), static_cast<std::size_t>(width));
  }
  uLongf packed_size = compressBound(static_cast<uLong>(raw.size()));
  std::string packed(packed_size, '\0');
  const int rc = compress2(reinterpret_cast<Bytef*>(packed.data()), &packed_size,
                           reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()), 9);
  D2L_CHECK(rc == Z_OK, "encode_png: zlib compress failed (code ", rc, ")");
  packed.resize(packed_size);

  std::string header;
  put_u32(header, static_cast<std::uint32_t>(width));
  put_u32(header, static_cast<std::uint32_t>(height));
  header += std::string("\x08\x00\x00\x00\x00", 5);  // 8 bits, grayscale, deflate, no filter set, no interlace
  std::string png("\x89PNG\r\n\x1a\n", 8);
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", packed);
  put_chunk(png, "IEND", "");
  return png;
}

void show_images(const std::string& path, const Tensor& images, const std::vector<std::string>& titles,
                 std::int64_t num_rows, std::int64_t num_cols, double scale) {
  const Gray g = to_gray(images);
  D2L_CHECK(g.count > 0 && g.height > 0 && g.width > 0, "show_images: no pixels to show (shape ",
            shape_str(images.shape()), ")");
  D2L_CHECK(num_rows > 0 && num_cols >= 0, "show_images: num_rows must be > 0 and num_cols >= 0, got ", num_rows,
            " and ", num_cols);
  D2L_CHECK(std::isfinite(scale) && scale > 0, "show_images: scale must be > 0, got ", scale);
  if (num_cols == 0) num_cols = (g.count + num_rows - 1) / num_rows;
  const std::int64_t count = std::min(g.count, num_rows * num_cols);  // as zip(axes, imgs)
  const std::int64_t rows = (count + num_cols - 1) / num_cols;          // rows left empty are dropped
  io::write_file_atomic(path, ends_with(path, ".png") ? grid_png(g, count, rows, num_cols)
                                                      : grid_svg(g, count, rows, num_cols, titles, scale));
}

void show_fashion_mnist(const std::string& path, const Tensor& images, const std::vector<std::string>& labels,
                        double scale) {
  show_images(path, images, labels, 1, 0, scale);
}

}  // namespace d2l::train
