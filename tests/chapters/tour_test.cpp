// `d2l tour`: every chapter runs with quick settings and lands in the summary table; a
// chapter that cannot run (its data not fetched) is reported without stopping the others.
#include <gtest/gtest.h>

#include <fstream>

#include "chapters/fake_fashion_mnist.h"

namespace {
const char* const kChapters[] = {"linreg-scratch", "linreg-concise", "softmax-scratch", "softmax-concise",
                                 "activations", "mlp-scratch", "mlp-concise", "text", "lm",
                                 "rnn-scratch", "rnn-concise"};
}

TEST(Tour, RunsEveryChapterAndSummarises) {
  FakeFashionMnist data;
  std::filesystem::create_directories(data.path() + "/text");  // a stand-in for the fetched book
  {  // long enough for the recurrent chapters' batch of 32 x 35 characters
    std::ofstream book(data.path() + "/text/moby_dick.txt");
    for (int i = 0; i < 30; ++i) book << "Call me Ishmael. Some years ago, never mind how long.\n";
  }
  TempDir out("tour");
  const CommandResult r = run_shell("D2L_DATA=" + data.path() + " " + D2L_BINARY + " tour --out " + out.path.string());
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string table = r.output.substr(r.output.find("chapter  "));
  for (const char* chapter : kChapters) {
    EXPECT_NE(table.find(chapter), std::string::npos) << chapter << "\n" << r.output;
    EXPECT_TRUE(std::filesystem::exists(out / (std::string(chapter) + ".json"))) << chapter;
  }
  EXPECT_NE(table.find("test acc"), std::string::npos) << r.output;
  EXPECT_TRUE(std::filesystem::exists(out / "mlp-concise-predictions.svg"));
  EXPECT_EQ(r.output.find("FAILED"), std::string::npos) << r.output;
}

TEST(Tour, MissingDataFailsThoseChaptersOnly) {
  TempDir empty("tour-no-data"), out("tour-out");
  const CommandResult r = run_shell("D2L_DATA=" + empty.path.string() + " " + D2L_BINARY + " tour --out " +
                                    out.path.string());
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_TRUE(std::filesystem::exists(out / "linreg-scratch.json"));
  EXPECT_TRUE(std::filesystem::exists(out / "activations.json"));
  EXPECT_FALSE(std::filesystem::exists(out / "softmax-scratch.json"));
  EXPECT_NE(r.output.find("softmax-scratch: Fashion-MNIST not found"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("scripts/fetch-data fashion-mnist"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("text: the moby-dick corpus is not in"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lm: the moby-dick corpus is not in"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rnn-scratch: the moby-dick corpus is not in"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rnn-concise: the moby-dick corpus is not in"), std::string::npos) << r.output;
}
