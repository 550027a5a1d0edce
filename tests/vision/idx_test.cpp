// The IDX reader and writer: raw and gzip files (told apart by their bytes, not names), any
// number of dims, and one-line errors naming the file for each way a file can be broken.
#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "chapters/run_command.h"
#include "d2l/vision/idx.h"
#include "error_of.h"

using namespace d2l;
using vision::IdxArray;
using vision::read_idx;
using vision::write_idx;

namespace {

std::vector<std::uint8_t> counting(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<std::uint8_t>(i * 7 % 256);
  return v;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary) << bytes;
}

// Any bytes as a gzip file (write_idx only writes well-formed IDX).
void write_gzip(const std::string& path, const std::string& bytes) {
  gzFile gz = gzopen(path.c_str(), "wb");
  ASSERT_NE(gz, nullptr);
  EXPECT_EQ(gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size())), static_cast<int>(bytes.size()));
  EXPECT_EQ(gzclose(gz), Z_OK);
}

// An IDX header: magic 0x000008NN, then each dim big-endian.
std::string header(const std::vector<std::uint32_t>& dims, std::uint8_t type = 0x08) {
  std::string h{'\0', '\0', static_cast<char>(type), static_cast<char>(dims.size())};
  for (auto d : dims)
    for (int shift = 24; shift >= 0; shift -= 8) h += static_cast<char>(d >> shift & 0xFF);
  return h;
}

// `message` names the file and holds `part`.
void expect_error(const std::string& message, const std::string& path, const std::string& part) {
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find(part), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

}  // namespace

TEST(Idx, RoundTripsRawAndGzipInAnyNumberOfDims) {
  TempDir dir("idx-roundtrip");
  for (const std::vector<std::int64_t>& dims :
       std::vector<std::vector<std::int64_t>>{{7}, {3, 28, 28}, {2, 3, 4, 5}, {0, 28, 28}}) {
    std::size_t n = 1;
    for (auto d : dims) n *= static_cast<std::size_t>(d);
    const IdxArray array{dims, counting(n)};
    for (const std::string name : {"a-ubyte", "a-ubyte.gz"}) {
      write_idx(dir / name, array);
      const IdxArray back = read_idx(dir / name);
      EXPECT_EQ(back.dims, dims) << name;
      EXPECT_EQ(back.data, array.data) << name;
    }
  }
  // Big-endian header, as MNIST's files have it.
  write_idx(dir / "h-ubyte", {3, 28, 28}, counting(3 * 28 * 28).data());
  EXPECT_EQ(read_bytes(dir / "h-ubyte").substr(0, 16), header({3, 28, 28}));
  EXPECT_EQ(read_bytes(dir / "h-ubyte").size(), 16u + 3 * 28 * 28);
}

TEST(Idx, TellsGzipByItsBytesNotItsName) {
  TempDir dir("idx-magic");
  const IdxArray array{{4, 5}, counting(20)};
  write_idx(dir / "packed.gz", array);
  const std::string packed = read_bytes(dir / "packed.gz");
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1F);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8B);
  std::filesystem::rename(dir / "packed.gz", dir / "packed-no-extension");
  EXPECT_EQ(read_idx(dir / "packed-no-extension").data, array.data);

  write_idx(dir / "plain", array);
  std::filesystem::rename(dir / "plain", dir / "plain-but-named.gz");
  EXPECT_EQ(read_idx(dir / "plain-but-named.gz").data, array.data);
}

TEST(Idx, StreamsValuesInPieces) {
  TempDir dir("idx-reader");
  const auto values = counting(6 * 28 * 28);
  write_idx(dir / "r.gz", {6, 28, 28}, values.data());
  vision::IdxReader reader(dir / "r.gz");
  EXPECT_EQ(reader.dims(), (std::vector<std::int64_t>{6, 28, 28}));
  EXPECT_EQ(reader.magic(), 0x00000803u);
  EXPECT_EQ(reader.numel(), 6 * 28 * 28);
  EXPECT_EQ(reader.dims_str(), "6 x 28 x 28");
  std::vector<std::uint8_t> got(values.size());
  reader.read(got.data(), 1000);
  reader.read(got.data() + 1000, got.size() - 1000);
  reader.finish();
  EXPECT_EQ(got, values);
  std::uint8_t one;
  expect_error(error_of([&] { reader.read(&one, 1); }), dir / "r.gz", "only 0 of the 4704");
}

TEST(Idx, MissingFile) {
  TempDir dir("idx-missing");
  expect_error(error_of([&] { read_idx(dir / "nope-ubyte.gz"); }), dir / "nope-ubyte.gz", "No such file");
}

TEST(Idx, WrongMagicNamesTheValueFound) {
  TempDir dir("idx-wrong-magic");
  write_bytes(dir / "m", std::string("\x12\x34\x56\x78", 4) + std::string(100, '\0'));
  expect_error(error_of([&] { read_idx(dir / "m"); }), dir / "m", "magic number 0x12345678");
  // A well-formed header of another value type.
  write_bytes(dir / "f", header({2}, 0x0D) + std::string(8, '\0'));
  expect_error(error_of([&] { read_idx(dir / "f"); }), dir / "f", "0x0D (float32) are not supported");
  // Zero dims is no IDX file either.
  write_bytes(dir / "z", std::string("\0\0\x08\0", 4));
  expect_error(error_of([&] { read_idx(dir / "z"); }), dir / "z", "magic number 0x00000800");
}

TEST(Idx, ShortFilesAndHeaders) {
  TempDir dir("idx-short");
  write_bytes(dir / "empty", "");
  expect_error(error_of([&] { read_idx(dir / "empty"); }), dir / "empty", "too short to be an IDX file (0 bytes)");
  write_bytes(dir / "half-header", header({6, 28, 28}).substr(0, 10));
  expect_error(error_of([&] { read_idx(dir / "half-header"); }), dir / "half-header",
               "truncated IDX header: 3 dims need 16 bytes, the file has 10");
}

TEST(Idx, TruncatedDataSaysWhatTheHeaderPromised) {
  TempDir dir("idx-truncated");
  // The header promises 6 images; only 3000 bytes (under 4 images) follow.
  const auto values = counting(3000);
  write_bytes(dir / "t-ubyte", header({6, 28, 28}) + std::string(values.begin(), values.end()));
  expect_error(error_of([&] { read_idx(dir / "t-ubyte"); }), dir / "t-ubyte",
               "the header promises 6 x 28 x 28 = 4704 bytes but only 3000 are present");
  // The same inside a well-formed gzip stream.
  write_gzip(dir / "t-ubyte.gz", read_bytes(dir / "t-ubyte"));
  expect_error(error_of([&] { read_idx(dir / "t-ubyte.gz"); }), dir / "t-ubyte.gz",
               "the header promises 6 x 28 x 28 = 4704 bytes but only 3000 are present");
}

TEST(Idx, TrailingBytes) {
  TempDir dir("idx-trailing");
  const auto values = counting(10);
  write_bytes(dir / "x", header({10}) + std::string(values.begin(), values.end()) + "junk");
  expect_error(error_of([&] { read_idx(dir / "x"); }), dir / "x", "4 unexpected bytes after the 10");
  write_gzip(dir / "x.gz", read_bytes(dir / "x"));
  expect_error(error_of([&] { read_idx(dir / "x.gz"); }), dir / "x.gz", "4 unexpected bytes after the 10");
}

TEST(Idx, CorruptGzipGivesZlibsMessage) {
  TempDir dir("idx-corrupt-gz");
  write_idx(dir / "c.gz", {40, 28, 28}, counting(40 * 28 * 28).data());
  std::string bytes = read_bytes(dir / "c.gz");
  ASSERT_GT(bytes.size(), 60u);
  for (std::size_t i = 20; i < 60; ++i) bytes[i] = static_cast<char>(0xFF);
  write_bytes(dir / "c.gz", bytes);
  expect_error(error_of([&] { read_idx(dir / "c.gz"); }), dir / "c.gz", "corrupt gzip stream (");

  // Cut off half way: zlib's "unexpected end of file".
  write_idx(dir / "cut.gz", {40, 28, 28}, counting(40 * 28 * 28).data());
  bytes = read_bytes(dir / "cut.gz");
  write_bytes(dir / "cut.gz", bytes.substr(0, bytes.size() / 2));
  expect_error(error_of([&] { read_idx(dir / "cut.gz"); }), dir / "cut.gz",
               "corrupt gzip stream (unexpected end of file)");
}

TEST(Idx, WriteChecksItsArguments) {
  TempDir dir("idx-write");
  expect_error(error_of([&] { write_idx(dir / "w", IdxArray{{2, 3}, counting(5)}); }), dir / "w", "need 6 values");
  expect_error(error_of([&] { write_idx(dir / "w", {}, nullptr); }), dir / "w", "1 to 255 dims");
  write_bytes(dir / "a-file", "x");  // where the directory should be
  expect_error(error_of([&] { write_idx(dir / "a-file/w.gz", {1}, counting(1).data()); }), dir / "a-file",
               "cannot create directory");
}

// gzip's own rules: members one after another are one stream (`cat a.gz b.gz` is valid), and
// anything else after the last member ("trailing garbage", which gzip only warns about) is
// refused, naming the file and where the garbage starts.
TEST(Idx, ConcatenatedGzipMembersReadAsOne) {
  TempDir dir("idx-members");
  const auto values = counting(2 * 28 * 28);
  const std::string whole = header({2, 28, 28}) + std::string(values.begin(), values.end());
  write_gzip(dir / "a.gz", whole.substr(0, 700));
  write_gzip(dir / "b.gz", whole.substr(700));
  write_bytes(dir / "ab.gz", read_bytes(dir / "a.gz") + read_bytes(dir / "b.gz"));
  const IdxArray array = read_idx(dir / "ab.gz");
  EXPECT_EQ(array.dims, (std::vector<std::int64_t>{2, 28, 28}));
  EXPECT_EQ(array.data, values);
  // An empty member in between changes nothing.
  write_gzip(dir / "empty.gz", "");
  write_bytes(dir / "a-empty-b.gz", read_bytes(dir / "a.gz") + read_bytes(dir / "empty.gz") + read_bytes(dir / "b.gz"));
  EXPECT_EQ(read_idx(dir / "a-empty-b.gz").data, values);
}

TEST(Idx, TrailingGarbageAfterTheGzipDataIsRefused) {
  TempDir dir("idx-garbage");
  const auto values = counting(10);
  write_gzip(dir / "ok.gz", header({10}) + std::string(values.begin(), values.end()));
  const std::string gz = read_bytes(dir / "ok.gz");
  for (const std::string tail : {std::string("junk"), std::string(4, '\0'), std::string("\x1f"), std::string("\n")}) {
    write_bytes(dir / "g.gz", gz + tail);
    expect_error(error_of([&] { read_idx(dir / "g.gz"); }), dir / "g.gz",
                 "trailing garbage after the gzip data (at byte " + std::to_string(gz.size()) + ")");
  }
  // A second member cut short is a corrupt stream, not garbage.
  write_bytes(dir / "cut.gz", gz + gz.substr(0, 12));
  expect_error(error_of([&] { read_idx(dir / "cut.gz"); }), dir / "cut.gz", "corrupt gzip stream");
}

TEST(Idx, AHeaderPromisingMoreThanTheFileHoldsIsRefusedBeforeAllocating) {
  TempDir dir("idx-huge");
  // 2^31 - 1 squared values: far more than 2^40 would pass the dims check, so use 2^20 x 2^19.
  write_bytes(dir / "raw", header({1u << 20, 1u << 19}) + "abc");
  expect_error(error_of([&] { read_idx(dir / "raw"); }), dir / "raw",
               "truncated: the header promises 1048576 x 524288 = 549755813888 bytes but only 3 are present");
  write_gzip(dir / "z.gz", header({1u << 20, 1u << 19}) + "abc");
  expect_error(error_of([&] { read_idx(dir / "z.gz"); }), dir / "z.gz", "more than a gzip file of ");
}

TEST(Idx, WritesAtomically) {
  TempDir dir("idx-atomic");
  write_idx(dir / "w.gz", {3}, counting(3).data());
  write_idx(dir / "w.gz", {4}, counting(4).data());
  EXPECT_EQ(read_idx(dir / "w.gz").dims, (std::vector<std::int64_t>{4}));
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path)) ++files;
  EXPECT_EQ(files, 1u);
}
