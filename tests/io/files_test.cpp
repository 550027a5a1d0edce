// Atomic file writes: the whole new file or the previous one, never a part, and no temporary
// left behind, even when the process is killed in the middle of writing.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "chapters/run_command.h"
#include "d2l/io/files.h"
#include "error_of.h"

namespace fs = std::filesystem;

namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

std::vector<std::string> names_in(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

bool has_temporary(const fs::path& dir) {
  for (const auto& name : names_in(dir))
    if (name.find(".tmp.") != std::string::npos) return true;
  return false;
}

}  // namespace

TEST(Files, WritesReplacesAndCreatesTheDirectory) {
  TempDir dir("files-write");
  const std::string path = dir / "sub/dir/out.json";
  d2l::io::write_file_atomic(path, "first");
  EXPECT_EQ(read_all(path), "first");
  d2l::io::write_file_atomic(path, "second, longer");
  EXPECT_EQ(read_all(path), "second, longer");
  d2l::io::write_file_atomic(path, "");
  EXPECT_EQ(read_all(path), "");
  EXPECT_EQ(names_in(dir.path / "sub/dir"), std::vector<std::string>{"out.json"});
}

TEST(Files, AFailedWriteNamesThePathAndLeavesNothing) {
  TempDir dir("files-fail");
  { std::ofstream(dir / "file") << "x"; }
  // A regular file where a directory should be.
  const std::string message = error_of([&] { d2l::io::write_file_atomic(dir / "file/out.svg", "x"); });
  EXPECT_NE(message.find(dir / "file"), std::string::npos) << message;
  // A directory where the file should be: the rename fails, the temporary goes.
  fs::create_directories(dir.path / "taken");
  { std::ofstream(dir / "taken/inside") << "x"; }
  const std::string rename_message = error_of([&] { d2l::io::write_file_atomic(dir / "taken", "x"); });
  EXPECT_NE(rename_message.find("cannot write " + (dir / "taken")), std::string::npos) << rename_message;
  EXPECT_FALSE(has_temporary(dir.path));
}

// A child process writes a large file over and over; it is killed while a temporary exists
// (the parent waits to see one), and must leave the last complete file and no temporary.
void kill_mid_write(int sig) {
  TempDir dir("files-signal-" + std::to_string(sig));
  const std::string path = dir / "metrics.json";
  const std::string big(16 << 20, 'x');
  d2l::io::write_file_atomic(path, big);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    d2l::io::remove_temporaries_on_signal();
    for (;;) d2l::io::write_file_atomic(path, big);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    seen = has_temporary(dir.path);
    if (!seen) std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  kill(child, sig);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(seen) << "never saw the temporary";
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == sig) << "status " << status;
  EXPECT_EQ(names_in(dir.path), std::vector<std::string>{"metrics.json"});
  EXPECT_EQ(fs::file_size(path), big.size());
}

TEST(Files, SigintDuringAWriteLeavesThePreviousFileAndNoTemporary) { kill_mid_write(SIGINT); }
TEST(Files, SigtermDuringAWriteLeavesThePreviousFileAndNoTemporary) { kill_mid_write(SIGTERM); }
