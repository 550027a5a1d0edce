#pragma once
// IDX files, the format MNIST and Fashion-MNIST ship in: a big-endian magic number (two zero
// bytes, a type byte, the number of dims), each dim as a big-endian int32, then the values
// row-major. Only uint8 values (type 0x08) are supported; a file may be gzip-compressed,
// which is told from its first two bytes (1f 8b), not its name. Concatenated gzip members
// read as one stream (as gzip does); bytes after the last member are refused. Every error is
// a d2l::Error whose one line names the file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace d2l::vision {

// Reads an IDX file's values piece by piece, so a caller can decode them straight into its
// own buffer (the datasets convert pixels to float32 as they arrive).
class IdxReader {
 public:
  // Opens the file and reads the header; errors if it is missing, unreadable or not uint8 IDX.
  explicit IdxReader(std::string path);
  ~IdxReader();
  IdxReader(const IdxReader&) = delete;
  IdxReader& operator=(const IdxReader&) = delete;

  const std::string& path() const { return path_; }
  const std::vector<std::int64_t>& dims() const { return dims_; }
  std::uint32_t magic() const { return magic_; }
  // The number of values the header promises: the product of the dims.
  std::int64_t numel() const { return numel_; }
  // "6 x 28 x 28", for messages.
  std::string dims_str() const;

  // Reads the next n values; an error if the file ends before them (or the gzip stream is corrupt).
  void read(std::uint8_t* out, std::size_t n);
  // Checks, once every value is read, that nothing follows them.
  void finish();

 private:
  struct File;
  std::size_t read_some(std::uint8_t* out, std::size_t n);  // fewer than n only at the end
  void check_size_against_file(std::size_t header_bytes);
  std::string path_;
  std::unique_ptr<File> file_;
  std::uint32_t magic_ = 0;
  std::vector<std::int64_t> dims_;
  std::int64_t numel_ = 0;
  std::int64_t consumed_ = 0;  // values read so far
};

// A whole IDX file in memory.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;  // row-major, the product of dims long
};

IdxArray read_idx(const std::string& path);

// Writes uint8 IDX; gzip-compressed when the path ends in ".gz".
void write_idx(const std::string& path, const std::vector<std::int64_t>& dims, const std::uint8_t* data);
void write_idx(const std::string& path, const IdxArray& array);

}  // namespace d2l::vision
