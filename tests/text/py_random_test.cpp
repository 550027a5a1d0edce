// PyRandom against Python's random.Random: the same calls with the same seeds return the same
// values (golden values from tests/golden/make_text_golden.py).
#include <gtest/gtest.h>

#include <numeric>

#include "d2l/text/py_random.h"
#include "error_of.h"
#include "text_golden.h"

using d2l::text::PyRandom;
using nlohmann::json;

TEST(PyRandom, MatchesPythonForEverySeed) {
  const json& seeds = text_golden().at("random");
  ASSERT_GE(seeds.size(), 10u);
  for (const json& s : seeds) {
    const std::int64_t seed = s.at("seed").is_number_unsigned() ? static_cast<std::int64_t>(s["seed"].get<std::uint64_t>())
                                                                : s["seed"].get<std::int64_t>();
    PyRandom r(seed);
    int index = 0;
    for (const json& c : s.at("calls")) {
      const std::string method = c[0];
      const json& args = c[1];
      SCOPED_TRACE("seed " + s["seed"].dump() + ", call " + std::to_string(index++) + ": " + c.dump());
      if (method == "getrandbits") {
        EXPECT_EQ(r.getrandbits(args[0].get<int>()), c[2].get<std::uint64_t>());
      } else if (method == "random") {
        EXPECT_EQ(r.random(), c[2].get<double>());  // bit for bit
      } else if (method == "randint") {
        EXPECT_EQ(r.randint(args[0].get<std::int64_t>(), args[1].get<std::int64_t>()), c[2].get<std::int64_t>());
      } else if (method == "randrange" && args.size() == 1) {
        EXPECT_EQ(r.randrange(args[0].get<std::int64_t>()), c[2].get<std::int64_t>());
      } else if (method == "randrange") {
        EXPECT_EQ(r.randrange(args[0].get<std::int64_t>(), args[1].get<std::int64_t>()), c[2].get<std::int64_t>());
      } else if (method == "shuffle") {
        std::vector<std::int64_t> x(args[0].get<std::size_t>());
        std::iota(x.begin(), x.end(), 0);
        r.shuffle(x);
        EXPECT_EQ(x, c[2].get<std::vector<std::int64_t>>());
      } else {
        ADD_FAILURE() << "unknown method " << method;
      }
    }
  }
}

TEST(PyRandom, NegativeSeedIsItsAbsoluteValue) {
  PyRandom a(-12345), b(12345);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.genrand_uint32(), b.genrand_uint32());
}

TEST(PyRandom, ReseedingRestartsTheStream) {
  PyRandom r(7);
  const double first = r.random();
  r.random();
  r.seed(7);
  EXPECT_EQ(r.random(), first);
}

TEST(PyRandom, SeedWordsOfASmallIntegerEqualSeed) {
  PyRandom a(99), b;
  const std::uint32_t key[] = {99};
  b.seed_words(key);
  EXPECT_EQ(a.getrandbits(64), b.getrandbits(64));
}

TEST(PyRandom, BadArgumentsAreErrors) {
  PyRandom r(0);
  EXPECT_NE(error_of([&] { r.randrange(0); }).find("empty range for randrange(0)"), std::string::npos);
  EXPECT_NE(error_of([&] { r.randint(5, 4); }).find("empty range for randrange(5, 5)"), std::string::npos);
  EXPECT_NE(error_of([&] { r.getrandbits(65); }).find("65"), std::string::npos);
  EXPECT_NE(error_of([&] { r.randbelow(-1); }).find("-1"), std::string::npos);
  EXPECT_NE(error_of([&] { r.randint(0, INT64_MAX); }).find("64 bits"), std::string::npos);
  EXPECT_NE(error_of([&] { r.randrange(-1, INT64_MAX); }).find("64 bits"), std::string::npos);
}
