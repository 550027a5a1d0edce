#include "d2l/vision/idx.h"

#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "d2l/error.h"

namespace d2l::vision {

namespace {

constexpr std::uint8_t kUint8 = 0x08;
// More values than this is a broken header, not a dataset (1 TiB).
constexpr std::int64_t kMaxValues = std::int64_t{1} << 40;
// zlib's read and write lengths are unsigned ints; larger requests go in pieces.
constexpr std::size_t kMaxChunk = std::size_t{1} << 30;

// "0x00000803" (digits = 8) or "0x0D" (digits = 2).
std::string hex(std::uint32_t v, int digits) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*X", digits, v);
  return buf;
}

const char* idx_type_name(unsigned type) {
  switch (type) {
    case 0x08: return "uint8";
    case 0x09: return "int8";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "unknown";
  }
}

std::uint32_t big_endian32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

std::string join_dims(const std::vector<std::int64_t>& dims) {
  std::string s;
  for (auto d : dims) s += (s.empty() ? "" : " x ") + std::to_string(d);
  return s;
}

}  // namespace

// zlib's gzread tells gzip from raw data by the first two bytes (1f 8b), whatever the file
// is called, and passes raw files through unchanged; one path serves both.
struct IdxReader::File {
  gzFile gz = nullptr;
  ~File() {
    if (gz) gzclose(gz);
  }
};

IdxReader::IdxReader(std::string path) : path_(std::move(path)), file_(std::make_unique<File>()) {
  errno = 0;
  file_->gz = gzopen(path_.c_str(), "rb");
  D2L_CHECK(file_->gz, "cannot open ", path_, ": ", errno ? std::strerror(errno) : "out of memory");
  gzbuffer(file_->gz, 1 << 17);  // fewer, larger reads: a 60000-image file in ~200 calls

  std::uint8_t head[4];
  const std::size_t got = read_some(head, 4);
  D2L_CHECK(got == 4, path_, ": too short to be an IDX file (", got, " bytes)");
  magic_ = big_endian32(head);
  const unsigned type = head[2], ndims = head[3];
  D2L_CHECK(head[0] == 0 && head[1] == 0 && ndims > 0, path_, ": not an IDX file (magic number ", hex(magic_, 8),
            "; IDX files start with 0x0000TTNN: type TT, NN dims, e.g. 0x00000803 for images)");
  D2L_CHECK(type == kUint8, path_, ": IDX values of type ", hex(type, 2), " (", idx_type_name(type),
            ") are not supported, only uint8 (0x08) (magic number ", hex(magic_, 8), ")");

  std::vector<std::uint8_t> raw(4 * ndims);
  const std::size_t got_dims = read_some(raw.data(), raw.size());
  D2L_CHECK(got_dims == raw.size(), path_, ": truncated IDX header: ", ndims, " dims need ", 4 + raw.size(),
            " bytes, the file has ", 4 + got_dims);
  numel_ = 1;
  for (unsigned i = 0; i < ndims; ++i) {
    const auto d = static_cast<std::int32_t>(big_endian32(&raw[4 * i]));
    D2L_CHECK(d >= 0, path_, ": IDX dim ", i, " is negative (", d, ")");
    dims_.push_back(d);
    if (d == 0) numel_ = 0;
    D2L_CHECK(numel_ == 0 || d <= kMaxValues / numel_, path_, ": the IDX header's dims (", dims_str(),
              (i + 1 < ndims ? " x ..." : ""), ") promise more than 2^40 values");
    numel_ *= d;
  }
}

IdxReader::~IdxReader() = default;

std::string IdxReader::dims_str() const { return join_dims(dims_); }

std::size_t IdxReader::read_some(std::uint8_t* out, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const auto want = static_cast<unsigned>(std::min(n - done, kMaxChunk));
    const int got = gzread(file_->gz, out + done, want);
    if (got > 0) done += static_cast<std::size_t>(got);
    if (got == static_cast<int>(want)) continue;
    // Short: the end of the file, or an error (a gzip stream cut off mid-way reads short
    // with Z_BUF_ERROR set rather than failing).
    int err = Z_OK;
    const char* msg = gzerror(file_->gz, &err);
    if (err == Z_ERRNO) throw Error("cannot read " + path_ + ": " + std::strerror(errno));
    if (err != Z_OK) {
      // zlib words it "<path>: <what>"; keep the what.
      std::string what = msg ? msg : "unknown error";
      if (what.rfind(path_ + ": ", 0) == 0) what.erase(0, path_.size() + 2);
      throw Error(path_ + ": corrupt gzip stream (" + what + ")");
    }
    break;
  }
  return done;
}

void IdxReader::read(std::uint8_t* out, std::size_t n) {
  D2L_CHECK(static_cast<std::int64_t>(n) <= numel_ - consumed_, path_, ": asked for ", n, " values but only ",
            numel_ - consumed_, " of the ", numel_, " the header promises are left");
  const std::size_t got = read_some(out, n);
  consumed_ += static_cast<std::int64_t>(got);
  D2L_CHECK(got == n, path_, ": truncated: the header promises ", dims_str(), " = ", numel_,
            " bytes but only ", consumed_, " are present");
}

void IdxReader::finish() {
  D2L_CHECK(consumed_ == numel_, path_, ": finish() called after reading ", consumed_, " of ", numel_, " values");
  std::vector<std::uint8_t> rest(1 << 16);
  std::size_t extra = 0, got;
  while ((got = read_some(rest.data(), rest.size())) > 0) extra += got;
  D2L_CHECK(extra == 0, path_, ": ", extra, " unexpected bytes after the ", numel_, " the header promises (",
            dims_str(), ")");
}

IdxArray read_idx(const std::string& path) {
  IdxReader reader(path);
  IdxArray array{reader.dims(), std::vector<std::uint8_t>(static_cast<std::size_t>(reader.numel()))};
  reader.read(array.data.data(), array.data.size());
  reader.finish();
  return array;
}

void write_idx(const std::string& path, const std::vector<std::int64_t>& dims, const std::uint8_t* data) {
  D2L_CHECK(!dims.empty() && dims.size() <= 255, "write_idx ", path, ": an IDX file has 1 to 255 dims, got ",
            dims.size());
  std::vector<std::uint8_t> header{0, 0, kUint8, static_cast<std::uint8_t>(dims.size())};
  std::size_t n = 1;
  for (auto d : dims) {
    D2L_CHECK(d >= 0 && d <= std::numeric_limits<std::int32_t>::max(), "write_idx ", path, ": dim ", d,
              " does not fit IDX's int32 (dims ", join_dims(dims), ")");
    for (int shift = 24; shift >= 0; shift -= 8) header.push_back(static_cast<std::uint8_t>(d >> shift));
    n *= static_cast<std::size_t>(d);
  }

  const bool gzip = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  errno = 0;
  if (gzip) {
    gzFile gz = gzopen(path.c_str(), "wb");
    D2L_CHECK(gz, "cannot write ", path, ": ", errno ? std::strerror(errno) : "out of memory");
    bool ok = gzwrite(gz, header.data(), static_cast<unsigned>(header.size())) == static_cast<int>(header.size());
    for (std::size_t done = 0; ok && done < n; done += kMaxChunk) {
      const auto len = static_cast<unsigned>(std::min(n - done, kMaxChunk));
      ok = gzwrite(gz, data + done, len) == static_cast<int>(len);
    }
    ok = gzclose(gz) == Z_OK && ok;
    D2L_CHECK(ok, "cannot write ", path, ": ", errno ? std::strerror(errno) : "compression failed");
  } else {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    D2L_CHECK(f, "cannot write ", path, ": ", std::strerror(errno));
    bool ok = std::fwrite(header.data(), 1, header.size(), f) == header.size() &&
              (n == 0 || std::fwrite(data, 1, n, f) == n);
    ok = std::fclose(f) == 0 && ok;
    D2L_CHECK(ok, "cannot write ", path, ": ", std::strerror(errno));
  }
}

void write_idx(const std::string& path, const IdxArray& array) {
  std::size_t n = 1;
  for (auto d : array.dims) n *= static_cast<std::size_t>(std::max<std::int64_t>(d, 0));
  D2L_CHECK(array.data.size() == n, "write_idx ", path, ": dims ", join_dims(array.dims), " need ", n,
            " values, got ", array.data.size());
  write_idx(path, array.dims, array.data.data());
}

}  // namespace d2l::vision
