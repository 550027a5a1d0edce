#pragma once
// Image grids, like the course's show_images: an SVG with each image (a small grayscale PNG
// embedded in the file) under its title, or a plain PNG of the grid.
#include <cstdint>
#include <string>
#include <vector>

#include "d2l/tensor.h"

namespace d2l::train {

// An 8-bit grayscale PNG of `pixels` (height rows of width bytes, row-major).
std::string encode_png(const std::vector<std::uint8_t>& pixels, std::int64_t width, std::int64_t height);

// d2l.show_images: `images` is N x 1 x H x W, N x H x W or one H x W image, floats in
// [0, 1] or integers in [0, 255] (values outside are clamped). The first num_rows x num_cols
// images are laid out row by row; num_cols 0 means as many as the images need. Titles (one
// per image, '\n' between lines, e.g. true label then prediction) go above the images; a
// missing title leaves the space blank. `scale` is the course's figure scale: each image is
// drawn 64 * scale pixels wide. A path ending in .png writes the bare grid as one PNG (no
// titles); anything else writes an SVG. The file is written atomically.
void show_images(const std::string& path, const Tensor& images, const std::vector<std::string>& titles = {},
                 std::int64_t num_rows = 1, std::int64_t num_cols = 0, double scale = 1.5);

// The images in one row, each titled with its label's name.
void show_fashion_mnist(const std::string& path, const Tensor& images, const std::vector<std::string>& labels,
                        double scale = 1.5);

}  // namespace d2l::train
