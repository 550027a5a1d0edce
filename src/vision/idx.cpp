#include "d2l/vision/idx.h"

#include <sys/stat.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>

#include "d2l/error.h"
#include "d2l/io/files.h"

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

// One gzip member holding `bytes`, as `gzip -6` would write it.
std::string gzip_compress(const std::string& bytes, const std::string& path) {
  z_stream z{};
  D2L_CHECK(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK, "cannot write ", path,
            ": out of memory starting zlib");
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  // zlib counts in unsigned ints: feed and drain at most 1 GiB per call. deflateBound's room
  // means every call makes progress, and the last (Z_FINISH) ends the stream.
  std::size_t in_left = bytes.size(), out_left = out.size();
  int rc;
  do {
    const auto in_chunk = static_cast<uInt>(std::min(in_left, kMaxChunk));
    const auto out_chunk = static_cast<uInt>(std::min(out_left, kMaxChunk));
    z.avail_in = in_chunk;
    z.avail_out = out_chunk;
    rc = deflate(&z, in_left == in_chunk ? Z_FINISH : Z_NO_FLUSH);
    in_left -= in_chunk - z.avail_in;
    out_left -= out_chunk - z.avail_out;
  } while (rc == Z_OK);
  const bool ok = rc == Z_STREAM_END;
  out.resize(out.size() - out_left);
  deflateEnd(&z);
  D2L_CHECK(ok, "cannot write ", path, ": compression failed");
  return out;
}

std::string join_dims(const std::vector<std::int64_t>& dims) {
  std::string s;
  for (auto d : dims) s += (s.empty() ? "" : " x ") + std::to_string(d);
  return s;
}

}  // namespace

// A gzip file is told from a raw one by its first two bytes (1f 8b), whatever it is called.
// It is inflated here rather than through gzread, which passes raw files through but also
// ignores whatever follows the last gzip member: like `gzip -t`, we take concatenated members
// as one stream and refuse anything else after them.
struct IdxReader::File {
  std::FILE* f = nullptr;
  bool gzip = false;
  z_stream z{};
  bool z_ready = false;          // inflateInit2 succeeded
  bool member_ended = false;     // the last inflate call ended a gzip member
  std::vector<Bytef> in = std::vector<Bytef>(1 << 17);  // read-ahead: z.next_in points into it
  std::uint64_t file_offset = 0;  // bytes read from the file so far

  ~File() {
    if (z_ready) inflateEnd(&z);
    if (f) std::fclose(f);
  }
  // Tops the read-ahead up to at least `want` bytes (fewer at the end of the file); false
  // when it holds fewer than that afterwards.
  bool fill(std::size_t want, const std::string& path) {
    if (z.avail_in >= want) return true;
    std::memmove(in.data(), z.next_in, z.avail_in);
    z.next_in = in.data();
    while (z.avail_in < want) {
      const std::size_t got = std::fread(in.data() + z.avail_in, 1, in.size() - z.avail_in, f);
      if (got == 0) {
        if (std::ferror(f)) throw Error("cannot read " + path + ": " + std::strerror(errno));
        return false;
      }
      z.avail_in += static_cast<uInt>(got);
      file_offset += got;
    }
    return true;
  }
  // Where the next unconsumed byte is in the file.
  std::uint64_t position() const { return file_offset - z.avail_in; }
};

IdxReader::IdxReader(std::string path) : path_(std::move(path)), file_(std::make_unique<File>()) {
  errno = 0;
  file_->f = std::fopen(path_.c_str(), "rb");
  D2L_CHECK(file_->f, "cannot open ", path_, ": ", std::strerror(errno));
  file_->z.next_in = file_->in.data();
  file_->fill(2, path_);
  file_->gzip = file_->z.avail_in >= 2 && file_->in[0] == 0x1F && file_->in[1] == 0x8B;
  if (file_->gzip) {
    // 16 + MAX_WBITS: a gzip wrapper, and its CRC and length checked at the end of each member.
    D2L_CHECK(inflateInit2(&file_->z, 16 + MAX_WBITS) == Z_OK, path_, ": out of memory starting zlib");
    file_->z_ready = true;
  }

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
  check_size_against_file(4 + raw.size());
}

// Callers allocate numel() values before reading them, so a header that promises more than
// the file can hold is refused now rather than as an allocation the machine cannot make.
// A raw file must hold them all; deflate expands at most 1032:1, which bounds a gzip file.
void IdxReader::check_size_against_file(std::size_t header_bytes) {
  struct stat st {};
  if (::fstat(::fileno(file_->f), &st) != 0 || !S_ISREG(st.st_mode)) return;  // a pipe: no size to compare
  const auto file_bytes = static_cast<std::int64_t>(st.st_size);
  if (!file_->gzip) {
    const std::int64_t present = std::max<std::int64_t>(0, file_bytes - static_cast<std::int64_t>(header_bytes));
    D2L_CHECK(numel_ <= present, path_, ": truncated: the header promises ", dims_str(), " = ", numel_,
              " bytes but only ", present, " are present");
  } else {
    D2L_CHECK(numel_ / 1032 <= file_bytes, path_, ": the header promises ", dims_str(), " = ", numel_,
              " bytes, more than a gzip file of ", file_bytes, " bytes can hold; the file is damaged");
  }
}

IdxReader::~IdxReader() = default;

std::string IdxReader::dims_str() const { return join_dims(dims_); }

std::size_t IdxReader::read_some(std::uint8_t* out, std::size_t n) {
  File& file = *file_;
  z_stream& z = file.z;
  std::size_t done = 0;
  if (!file.gzip) {
    // Raw: what the read-ahead holds first, then straight from the file.
    const std::size_t ahead = std::min<std::size_t>(n, z.avail_in);
    if (ahead) std::memcpy(out, z.next_in, ahead);
    z.next_in += ahead;
    z.avail_in -= static_cast<uInt>(ahead);
    done = ahead;
    if (done < n) done += std::fread(out + done, 1, n - done, file.f);
    if (done < n && std::ferror(file.f)) throw Error("cannot read " + path_ + ": " + std::strerror(errno));
    return done;
  }
  while (done < n) {
    if (file.member_ended) {
      // After a member: the end of the file, another member, or something gzip calls
      // "trailing garbage", which we refuse rather than ignore.
      if (!file.fill(1, path_)) break;
      const std::uint64_t at = file.position();
      D2L_CHECK(file.fill(2, path_) && z.next_in[0] == 0x1F && z.next_in[1] == 0x8B, path_,
                ": trailing garbage after the gzip data (at byte ", at, "); the file is damaged");
      D2L_CHECK(inflateReset(&z) == Z_OK, path_, ": corrupt gzip stream (inflateReset failed)");
      file.member_ended = false;
    }
    if (z.avail_in == 0 && !file.fill(1, path_)) throw Error(path_ + ": corrupt gzip stream (unexpected end of file)");
    z.next_out = out + done;
    z.avail_out = static_cast<uInt>(std::min(n - done, kMaxChunk));
    const uInt before = z.avail_out;
    const int rc = inflate(&z, Z_NO_FLUSH);
    done += before - z.avail_out;
    if (rc == Z_STREAM_END) file.member_ended = true;
    else if (rc != Z_OK && rc != Z_BUF_ERROR)
      throw Error(path_ + ": corrupt gzip stream (" + (z.msg ? z.msg : "zlib error " + std::to_string(rc)) + ")");
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

  std::string bytes(header.begin(), header.end());
  if (n) bytes.append(reinterpret_cast<const char*>(data), n);
  const bool gzip = path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
  io::write_file_atomic(path, gzip ? gzip_compress(bytes, path) : bytes);
}

void write_idx(const std::string& path, const IdxArray& array) {
  std::size_t n = 1;
  for (auto d : array.dims) n *= static_cast<std::size_t>(std::max<std::int64_t>(d, 0));
  D2L_CHECK(array.data.size() == n, "write_idx ", path, ": dims ", join_dims(array.dims), " need ", n,
            " values, got ", array.data.size());
  write_idx(path, array.dims, array.data.data());
}

}  // namespace d2l::vision
