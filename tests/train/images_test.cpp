// Image grids: the PNG encoder's bytes (signature, IHDR, CRCs, an IDAT that inflates back to
// the pixels) and show_images' SVG and PNG files.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cmath>
#include <fstream>

#include "chapters/run_command.h"
#include "d2l/train/images.h"

using namespace d2l;
using namespace d2l::train;

namespace {

std::uint32_t u32(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t k = 0; k < 4; ++k) v = v << 8 | static_cast<unsigned char>(s.at(at + k));
  return v;
}

struct Png {
  std::uint32_t width = 0, height = 0;
  int bit_depth = 0, color_type = 0;
  std::vector<std::uint8_t> pixels;  // filter bytes removed
};

// Parses what encode_png writes, checking every chunk's CRC and that it ends with IEND.
Png parse_png(const std::string& png) {
  Png out;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  std::string idat, last;
  for (std::size_t at = 8; at < png.size();) {
    const std::uint32_t length = u32(png, at);
    const std::string type = png.substr(at + 4, 4), data = png.substr(at + 8, length);
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(png.data() + at + 4), length + 4);
    EXPECT_EQ(u32(png, at + 8 + length), crc) << type;
    if (type == "IHDR") {
      EXPECT_EQ(length, 13u);
      out.width = u32(data, 0);
      out.height = u32(data, 4);
      out.bit_depth = data[8];
      out.color_type = data[9];
    }
    if (type == "IDAT") idat += data;
    last = type;
    at += 12 + length;
  }
  EXPECT_EQ(last, "IEND");
  std::vector<std::uint8_t> raw((out.width + 1) * out.height + 1);
  uLongf raw_size = raw.size();
  EXPECT_EQ(uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()), Z_OK);
  EXPECT_EQ(raw_size, (out.width + 1) * out.height);
  for (std::uint32_t r = 0; r < out.height; ++r) {
    EXPECT_EQ(raw[r * (out.width + 1)], 0) << "filter type of row " << r;
    out.pixels.insert(out.pixels.end(), raw.begin() + r * (out.width + 1) + 1, raw.begin() + (r + 1) * (out.width + 1));
  }
  return out;
}

std::string base64_decode(const std::string& s) {
  const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::uint32_t v = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    v = v << 6 | static_cast<std::uint32_t>(digits.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((v >> bits) & 0xff);
    }
  }
  return out;
}

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST(EncodePng, WritesAValidGrayscalePngOfThePixels) {
  const std::vector<std::uint8_t> pixels = {0, 50, 100, 150, 200, 255};
  const Png png = parse_png(encode_png(pixels, 3, 2));
  EXPECT_EQ(png.width, 3u);
  EXPECT_EQ(png.height, 2u);
  EXPECT_EQ(png.bit_depth, 8);
  EXPECT_EQ(png.color_type, 0);
  EXPECT_EQ(png.pixels, pixels);
  EXPECT_THROW(encode_png(pixels, 4, 2), Error);
  EXPECT_THROW(encode_png({}, 0, 0), Error);
}

TEST(ShowImages, PngGridHoldsEachImageWithGapsAndConvertsValues) {
  TempDir dir("images-png");
  // Two 2 x 3 images, floats in [0, 1]; values outside are clamped.
  const Tensor images = tensor({{{0.0, 0.5, 1.0}, {-1.0, 2.0, 0.2}}, {{1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}}});
  show_images(dir / "grid.png", images.view({2, 1, 2, 3}), {}, 1, 2);
  const Png png = parse_png(read(dir / "grid.png"));
  ASSERT_EQ(png.width, 3u + 2u + 3u);
  ASSERT_EQ(png.height, 2u);
  const std::vector<std::uint8_t> row0 = {0, 128, 255, 255, 255, 255, 255, 255};
  const std::vector<std::uint8_t> row1 = {0, 255, 51, 255, 255, 0, 0, 0};
  EXPECT_EQ(std::vector<std::uint8_t>(png.pixels.begin(), png.pixels.begin() + 8), row0);
  EXPECT_EQ(std::vector<std::uint8_t>(png.pixels.begin() + 8, png.pixels.end()), row1);

  // Integers are 0-255 already; 2 rows of 1 column.
  show_images(dir / "ints.PNG", tensor({7, 300}, kInt64).view({2, 1, 1}), {}, 2, 1);
  const Png ints = parse_png(read(dir / "ints.PNG"));
  EXPECT_EQ(ints.width, 1u);
  EXPECT_EQ(ints.height, 4u);
  EXPECT_EQ(ints.pixels, (std::vector<std::uint8_t>{7, 255, 255, 255}));
}

TEST(ShowImages, SvgGridEmbedsEachImageUnderItsTitle) {
  TempDir dir("images-svg");
  const Tensor images = rand({5, 4, 6});
  const std::vector<std::string> titles = {"t-shirt\nshirt", "trouser", "a<b & c", "bag", "never shown"};
  show_images(dir / "grid.svg", images, titles, 2, 2, 1.0);
  const std::string svg = read(dir / "grid.svg");
  EXPECT_EQ(svg.rfind("<svg ", 0), 0u);
  EXPECT_EQ(count(svg, "<image "), 4u);  // the first 2 x 2
  EXPECT_EQ(count(svg, "image-rendering:pixelated"), 4u);
  EXPECT_NE(svg.find(">t-shirt</tspan>"), std::string::npos);
  EXPECT_NE(svg.find(">shirt</tspan>"), std::string::npos);
  EXPECT_NE(svg.find(">a&lt;b &amp; c</tspan>"), std::string::npos);
  EXPECT_EQ(svg.find("never shown"), std::string::npos);
  // 64 px per unit of scale; 4 x 6 images keep their aspect.
  EXPECT_NE(svg.find("width=\"64\" height=\"42.6667\""), std::string::npos);

  // The first embedded PNG is the first image.
  const std::string prefix = "href=\"data:image/png;base64,";
  const std::size_t at = svg.find(prefix) + prefix.size();
  const Png png = parse_png(base64_decode(svg.substr(at, svg.find('"', at) - at)));
  ASSERT_EQ(png.width, 6u);
  ASSERT_EQ(png.height, 4u);
  const auto values = images[0].to_vector<double>();
  for (std::size_t i = 0; i < values.size(); ++i) EXPECT_EQ(png.pixels[i], std::lround(values[i] * 255)) << i;
}

TEST(ShowImages, ShowFashionMnistTitlesOneRowAndBadShapesAreErrors) {
  TempDir dir("images-fashion");
  show_fashion_mnist(dir / "row.svg", zeros({3, 1, 28, 28}), {"coat", "bag", "sneaker"});
  const std::string svg = read(dir / "row.svg");
  EXPECT_EQ(count(svg, "<image "), 3u);
  EXPECT_NE(svg.find(">sneaker</tspan>"), std::string::npos);
  EXPECT_THROW(show_images(dir / "x.svg", zeros({2, 3, 4, 4})), Error);  // colour is not supported
  EXPECT_THROW(show_images(dir / "x.svg", zeros({4})), Error);
  EXPECT_THROW(show_images(dir / "x.svg", zeros({2, 4, 4}), {}, 0), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "x.svg"));
}
