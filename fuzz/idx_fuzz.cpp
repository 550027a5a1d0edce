// The IDX reader (src/vision/idx.cpp) on raw and gzip files. The first byte picks how the
// rest becomes the file: as it is (which may itself be gzip), compressed into one gzip
// member, compressed into two members, or one member with bytes after it; so the mutations
// reach the IDX header and values behind a valid gzip wrapper, not only zlib's checks.
#include <zlib.h>

#include <string>

#include "d2l/vision/idx.h"
#include "fuzz_util.h"

namespace {

std::string gzip(std::string_view bytes) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) fuzz::fail("deflateInit2");
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) fuzz::fail("deflate");
  out.resize(out.size() - z.avail_out);
  deflateEnd(&z);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  std::string file;
  switch (data[0] % 4) {
    case 0: file = rest; break;
    case 1: file = gzip(rest); break;
    case 2: file = gzip(rest.substr(0, rest.size() / 2)) + gzip(rest.substr(rest.size() / 2)); break;
    case 3: file = gzip(rest.substr(0, rest.size() / 2)) + std::string(rest.substr(rest.size() / 2)); break;
  }
  const std::string& path = fuzz::scratch_path("idx");
  fuzz::write_file(path, file);
  try {
    const d2l::vision::IdxArray array = d2l::vision::read_idx(path);
    std::size_t n = 1;
    for (auto d : array.dims) n *= static_cast<std::size_t>(d);
    if (n != array.data.size()) fuzz::fail("dims and values disagree");
  } catch (const d2l::Error& e) {
    fuzz::check_message(e);
  }
  return 0;
}
