// Runs every sample of tests/data/op_table_golden.json through the op table's entry of the
// same name (one test per op, OpTable/OpTableTest.Run/<op>): forward values and dtypes,
// requires_grad of the outputs, gradients for the stored upstream gradient, float64 central
// differences where PyTorch's gradcheck holds, and errors where PyTorch raises.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "golden_file.h"
#include "gradcheck.h"
#include "op_table/op_table.h"

namespace d2l::testing {
namespace {

using nlohmann::json;

const json& golden() { return golden_file("op_table_golden.json"); }

const OpEntry* find_entry(const std::string& name) {
  for (const auto& e : op_table())
    if (e.name == name) return &e;
  return nullptr;
}

std::string dtype_short(DType dt) { return dtype_name(dt).substr(6); }  // "torch.float32" -> "float32"

Shape shape_of(const json& j) {
  Shape s;
  for (const auto& v : j) s.push_back(v.get<std::int64_t>());
  return s;
}

std::vector<double> values_of(const json& j) {
  std::vector<double> v;
  for (const auto& x : j) v.push_back(Args::number(x));
  return v;
}

// A contiguous tensor of the given dtype and shape holding `values` (row-major).
Tensor make_tensor(DType dt, const Shape& shape, const std::vector<double>& values) {
  Tensor t = empty(shape, dt);
  D2L_DISPATCH_ALL(dt, [&] {
    auto* p = t.data_ptr<scalar_t>();
    for (std::size_t i = 0; i < values.size(); ++i) p[i] = static_cast<scalar_t>(values[i]);
  });
  return t;
}

struct Built {
  Tensor x;     // what the op sees
  Tensor leaf;  // where its gradient lands
};

// The layout a spec describes: contiguous, transposed (last two dims stored the other way
// round), strided (every other element of a wider buffer) or expanded (a view of a smaller leaf).
Tensor with_layout(const Tensor& base, const std::string& layout) {
  if (layout == "transposed") return base.transpose(-1, -2).contiguous().transpose(-1, -2);
  if (layout == "strided") {
    Shape wide = base.shape();
    wide.back() *= 2;
    Tensor w = zeros(wide, base.dtype());
    Tensor s = w.slice(-1, 0, std::nullopt, 2);
    s.copy_(base);
    return s;
  }
  return base;
}

Built build(const json& spec, bool force_float64 = false) {
  DType dt = Args::dtype_from(spec.at("dtype").get<std::string>());
  if (force_float64 && is_floating(dt)) dt = kFloat64;
  const Tensor base = make_tensor(dt, shape_of(spec.at("shape")), values_of(spec.at("values")));
  const std::string layout = spec.value("layout", "contiguous");
  Tensor leaf = with_layout(base, layout).detach();
  if (spec.value("grad", true) && is_floating(dt)) leaf.requires_grad_(true);
  Tensor x = layout == "expanded" ? leaf.expand(shape_of(spec.at("expand"))) : leaf;
  return {x, leaf};
}

// Tolerances: float64 nearly exact (summation order aside), float32 a few ulps of O(1) values.
struct Tol {
  double atol, rtol;
};
Tol tolerance(DType dt, bool grad) {
  if (dt == kFloat64) return {1e-12, 1e-10};
  if (dt == kFloat32) return grad ? Tol{1e-5, 1e-4} : Tol{1e-6, 1e-5};
  return {0, 0};  // exact
}

// Compares ours with a golden tensor; appends what differs to `failures`.
void compare(const std::string& what, const Tensor& ours, const std::string& want_dtype, const Shape& want_shape,
             const json& want_values, bool grad, std::vector<std::string>& failures) {
  if (dtype_short(ours.dtype()) != want_dtype) {
    failures.push_back(what + ": dtype " + dtype_short(ours.dtype()) + ", torch gives " + want_dtype);
    return;
  }
  if (ours.shape() != want_shape) {
    failures.push_back(what + ": shape " + shape_str(ours.shape()) + ", torch gives " + shape_str(want_shape));
    return;
  }
  const auto want = values_of(want_values);
  const auto got = ours.detach().to_vector<double>();
  const Tol tol = tolerance(ours.dtype(), grad);
  std::ostringstream bad;
  int n_bad = 0;
  for (std::size_t k = 0; k < want.size(); ++k) {
    const double g = got[k], w = want[k];
    bool ok;
    if (std::isnan(w) || std::isnan(g)) ok = std::isnan(w) && std::isnan(g);
    else if (std::isinf(w) || std::isinf(g)) ok = g == w;
    else ok = std::abs(g - w) <= tol.atol + tol.rtol * std::abs(w);
    if (!ok && n_bad++ < 6) bad << " [" << k << "] " << g << " vs " << w << ";";
  }
  if (n_bad) failures.push_back(what + ": " + std::to_string(n_bad) + " values differ (ours vs torch):" + bad.str());
}

std::vector<std::string> run_sample(const OpEntry& entry, const json& sample) {
  std::vector<std::string> failures;
  const Args args(sample.at("args"));
  std::vector<Built> built;
  Inputs xs;
  for (const auto& spec : sample.at("inputs")) {
    built.push_back(build(spec));
    xs.push_back(built.back().x);
  }

  auto expect_error = [&](const EntryFn& fn, const std::string& label) {
    try {
      fn(xs, args);
      failures.push_back(label + ": no error, torch raises \"" + sample.at("error").get<std::string>() + "\"");
    } catch (const Error& e) {
      // Where our message is worded as PyTorch's, the sample names a phrase both must contain.
      const std::string phrase = sample.value("phrase", "");
      if (!phrase.empty() && std::string(e.what()).find(phrase) == std::string::npos)
        failures.push_back(label + ": our error \"" + e.what() + "\" lacks PyTorch's \"" + phrase + "\"");
      if (std::getenv("D2L_OP_TABLE_SHOW_ERRORS"))
        std::printf("%s/%s\n  ours:  %s\n  torch: %s\n", entry.name.c_str(), sample.at("name").get<std::string>().c_str(),
                    e.what(), sample.at("error").get<std::string>().c_str());
    } catch (const std::exception& e) {
      failures.push_back(label + ": threw a non-d2l exception: " + e.what());
    }
  };
  if (sample.contains("error")) {
    expect_error(entry.fn, "forward");
    for (std::size_t k = 0; k < entry.aliases.size(); ++k) expect_error(entry.aliases[k], "alias " + std::to_string(k));
    return failures;
  }

  auto forward = [&](const EntryFn& fn, const std::string& label, Outputs& outs, bool check_requires_grad) {
    try {
      outs = fn(xs, args);
    } catch (const std::exception& e) {
      failures.push_back(label + ": threw \"" + e.what() + "\"; torch gives a result");
      return false;
    }
    const auto& gold = sample.at("outputs");
    if (outs.size() != gold.size()) {
      failures.push_back(label + ": " + std::to_string(outs.size()) + " outputs, torch gives " +
                         std::to_string(gold.size()));
      return false;
    }
    for (std::size_t k = 0; k < outs.size(); ++k) {
      const std::string what = label + " output " + std::to_string(k);
      compare(what, outs[k], gold[k].at("dtype").get<std::string>(), shape_of(gold[k].at("shape")),
              gold[k].at("values"), false, failures);
      const bool want_rg = gold[k].at("requires_grad").get<bool>();
      if (check_requires_grad && outs[k].requires_grad() != want_rg)
        failures.push_back(what + ": requires_grad " + std::to_string(outs[k].requires_grad()) + ", torch gives " +
                           std::to_string(want_rg));
    }
    return true;
  };

  for (std::size_t k = 0; k < entry.aliases.size(); ++k) {
    NoGradGuard no_grad;
    Outputs outs;
    forward(entry.aliases[k], "alias " + std::to_string(k), outs, false);
  }

  Outputs outs;
  if (!forward(entry.fn, "forward", outs, true)) return failures;

  // Backward: the stored upstream gradient through the first output, against torch's gradients.
  if (sample.contains("upstream") && outs[0].requires_grad()) {
    // The upstream gradient has the first output's dtype and shape; each input's gradient its leaf's.
    const auto& out0 = sample.at("outputs")[0];
    const Tensor upstream = make_tensor(Args::dtype_from(out0.at("dtype").get<std::string>()),
                                        shape_of(out0.at("shape")), values_of(sample.at("upstream")));
    try {
      outs[0].backward(upstream);
      const auto& grads = sample.at("grads");
      for (std::size_t i = 0; i < built.size(); ++i) {
        const Tensor& leaf = built[i].leaf;
        if (!leaf.requires_grad()) continue;
        const std::string what = "grad of input " + std::to_string(i);
        const Tensor g = leaf.grad();
        if (grads[i].is_null()) {
          // torch: not reached. Ours may be undefined or zeros.
          if (g.defined() && g.abs().sum().item<double>() != 0)
            failures.push_back(what + ": nonzero, torch gives None");
          continue;
        }
        if (!g.defined()) {
          failures.push_back(what + ": undefined, torch gives one");
          continue;
        }
        compare(what, g, dtype_short(leaf.dtype()), leaf.shape(), grads[i], true, failures);
      }
    } catch (const std::exception& e) {
      failures.push_back(std::string("backward threw \"") + e.what() + "\"");
    }
  }

  // Central differences in float64 at the points where torch's gradcheck holds.
  if (sample.value("gradcheck", false)) {
    std::vector<Built> b64;
    std::vector<Tensor> float_inputs;
    std::vector<int> float_at;
    for (const auto& spec : sample.at("inputs")) {
      b64.push_back(build(spec));
      if (b64.back().leaf.requires_grad()) {
        float_at.push_back(static_cast<int>(b64.size()) - 1);
        float_inputs.push_back(b64.back().x.detach());
      }
    }
    const EntryFn fn = entry.fn;
    auto f = [&](const std::vector<Tensor>& leaves) {
      Inputs all;
      for (const auto& b : b64) all.push_back(b.x);
      for (std::size_t k = 0; k < leaves.size(); ++k) all[float_at[k]] = leaves[k];
      return fn(all, args)[0];
    };
    GradcheckOptions opt;
    opt.check_float32 = false;
    opt.atol = 1e-6;
    opt.rtol = 1e-5;
    try {
      auto r = gradcheck(f, float_inputs, opt);
      if (!r) failures.push_back(std::string("gradcheck: ") + r.message());
    } catch (const std::exception& e) {
      failures.push_back(std::string("gradcheck threw \"") + e.what() + "\"");
    }
  }
  return failures;
}

class OpTableTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OpTableTest, Run) {
  const std::string& name = GetParam();
  const OpEntry* entry = find_entry(name);
  ASSERT_NE(entry, nullptr) << "no op table entry named " << name << " in tests/op_table/op_table.cpp";
  const auto& ops = golden().at("ops");
  ASSERT_TRUE(ops.contains(name)) << "no samples for " << name << "; add them to make_op_table_golden.py";
  std::set<std::string> sample_names;
  for (const auto& sample : ops.at(name).at("samples")) {
    const std::string sname = sample.at("name").get<std::string>();
    sample_names.insert(sname);
    SCOPED_TRACE(name + "/" + sname);
    const auto failures = run_sample(*entry, sample);
    const auto known = entry->known_divergences.find(sname);
    if (known != entry->known_divergences.end()) {
      EXPECT_FALSE(failures.empty()) << name << "/" << sname << " is listed as a known divergence (" << known->second
                                     << ") but now matches PyTorch: remove it from known_divergences";
      continue;
    }
    std::string all;
    for (const auto& f : failures) all += "\n  " + f;
    EXPECT_TRUE(failures.empty()) << name << "/" << sname << " differs from PyTorch:" << all;
  }
  for (const auto& [sname, why] : entry->known_divergences)
    EXPECT_TRUE(sample_names.count(sname)) << "known divergence " << sname << " names no sample of " << name;
}

std::vector<std::string> op_names() {
  std::vector<std::string> names;
  for (const auto& e : op_table()) names.push_back(e.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(OpTable, OpTableTest, ::testing::ValuesIn(op_names()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// Every op with golden samples has an entry, and names are unique.
TEST(OpTable, EveryGoldenOpHasAnEntry) {
  std::set<std::string> names;
  for (const auto& e : op_table()) EXPECT_TRUE(names.insert(e.name).second) << "duplicate entry " << e.name;
  for (const auto& [name, _] : golden().at("ops").items())
    EXPECT_TRUE(names.count(name)) << "golden samples for " << name << " but no entry in op_table.cpp";
}

}  // namespace
}  // namespace d2l::testing
