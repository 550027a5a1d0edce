#pragma once
// What the optimizer tests share: reading the golden files of tests/golden/ and replaying the
// problem their scripts record (two float64 tensors W and b, loss mse_loss(linear(X, W, b), Y),
// zero_grad / backward / step) against torch's trajectory and print(optimizer).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "d2l/autograd.h"
#include "d2l/nn/loss.h"
#include "d2l/ops.h"
#include "d2l/optim/optimizer.h"
#include "golden_file.h"

namespace d2l::testing {

using nlohmann::json;

inline Tensor matrix64(const json& rows) {
  std::vector<double> v;
  for (const auto& r : rows)
    for (const auto& x : r) v.push_back(x.get<double>());
  return from_vector(v, {static_cast<std::int64_t>(rows.size()), static_cast<std::int64_t>(rows[0].size())});
}

inline Tensor vector64(const json& values) { return from_vector(values.get<std::vector<double>>()); }

// Per-group options as the script passed them: numbers, flags, and pairs (Adam's betas).
inline optim::Options group_options(const json& overrides) {
  optim::Options o;
  for (const auto& [k, v] : overrides.items()) {
    if (v.is_boolean()) o[k] = v.get<bool>();
    else if (v.is_array()) o[k] = std::pair<double, double>(v[0].get<double>(), v[1].get<double>());
    else o[k] = v.get<double>();
  }
  return o;
}

inline void expect_close(const std::vector<double>& got, const json& want, const std::string& what,
                         double tol = 1e-12) {
  const auto w = want.get<std::vector<double>>();
  ASSERT_EQ(got.size(), w.size()) << what;
  for (std::size_t i = 0; i < w.size(); ++i)
    EXPECT_NEAR(got[i], w[i], tol * std::max(1.0, std::abs(w[i]))) << what << " element " << i;
}

// Replays configuration `cfg` of `problem` (the JSON holding X, Y, W0, b0 and steps) with
// optimizer Opt built from `defaults`, checking print(optimizer) and W, b after every step.
template <class Opt, class Options>
void check_golden_run(const json& problem, const json& cfg, const Options& defaults, const std::string& name) {
  const Tensor X = matrix64(problem["X"]), Y = matrix64(problem["Y"]);
  Tensor W = matrix64(problem["W0"]).requires_grad_();
  Tensor b = vector64(problem["b0"]).requires_grad_();
  ASSERT_EQ(W.dtype(), kFloat64);
  const std::map<std::string, Tensor> by_name{{"W", W}, {"b", b}};
  std::unique_ptr<Opt> opt;
  if (cfg["groups"].is_null()) {
    opt = std::make_unique<Opt>(std::vector<Tensor>{W, b}, defaults);
  } else {
    std::vector<optim::ParamGroup> groups;
    for (const auto& grp : cfg["groups"]) {
      optim::ParamGroup pg;
      for (const auto& n : grp["params"]) pg.params.push_back(by_name.at(n.get<std::string>()));
      pg.options = group_options(grp["options"]);
      groups.push_back(pg);
    }
    opt = std::make_unique<Opt>(groups, defaults);
  }
  EXPECT_EQ(opt->to_string(), cfg["printed"].get<std::string>());

  const auto& trajectory = cfg["trajectory"];
  ASSERT_EQ(trajectory.size(), problem["steps"].get<std::size_t>());
  for (std::size_t step = 0; step < trajectory.size(); ++step) {
    opt->zero_grad();
    Tensor loss = nn::functional::mse_loss(linear(X, W, b), Y);
    loss.backward();
    opt->step();
    const std::string where = name + " step " + std::to_string(step + 1);
    expect_close(W.to_vector<double>(), trajectory[step]["W"], where + " W");
    expect_close(b.to_vector<double>(), trajectory[step]["b"], where + " b");
    EXPECT_TRUE(W.is_leaf() && b.is_leaf()) << where;
  }
}

}  // namespace d2l::testing
