// The entries of the op table: one per public op of ops.h and tensor.h (see op_table.h).
// Samples and golden values: tests/golden/make_op_table_golden.py.
#include "op_table/op_table.h"

#include <cmath>
#include <limits>

namespace d2l::testing {

double Args::number(const nlohmann::json& v) {
  if (v.is_string()) {
    const auto s = v.get<std::string>();
    if (s == "inf") return std::numeric_limits<double>::infinity();
    if (s == "-inf") return -std::numeric_limits<double>::infinity();
    if (s == "nan") return std::numeric_limits<double>::quiet_NaN();
    throw std::runtime_error("not a number: " + s);
  }
  return v.get<double>();
}

DType Args::dtype_from(const std::string& name) {
  if (name == "float32") return kFloat32;
  if (name == "float64") return kFloat64;
  if (name == "int64") return kInt64;
  if (name == "bool") return kBool;
  throw std::runtime_error("unknown dtype " + name);
}

namespace {

// Lambdas over (inputs x, args a) returning one output.
#define D2L_OP(expr) [](const Inputs& x, const Args& a) -> Outputs { (void)x; (void)a; return {expr}; }
// An in-place op applied to a detached copy of the first input, which it returns.
#define D2L_INPLACE(stmt)                                  \
  [](const Inputs& x, const Args& a) -> Outputs {          \
    (void)a;                                               \
    Tensor y = x[0].detach().clone();                      \
    stmt;                                                  \
    return {y};                                            \
  }

std::vector<OpEntry> make_table() {
  return {
      // ---- elementwise unary
      {"neg", D2L_OP(neg(x[0])), {D2L_OP(-x[0]), D2L_OP(x[0].neg())}},
      {"exp", D2L_OP(exp(x[0])), {D2L_OP(x[0].exp())}},
      {"log", D2L_OP(log(x[0])), {D2L_OP(x[0].log())}},
      {"sqrt", D2L_OP(sqrt(x[0])), {D2L_OP(x[0].sqrt())}},
      {"abs", D2L_OP(abs(x[0])), {D2L_OP(x[0].abs())}},
      {"tanh", D2L_OP(tanh(x[0])), {D2L_OP(x[0].tanh())}},
      {"sigmoid", D2L_OP(sigmoid(x[0])), {D2L_OP(x[0].sigmoid())}},
      {"relu", D2L_OP(relu(x[0])), {D2L_OP(x[0].relu())}},
      {"clamp", D2L_OP(clamp(x[0], a.opt("min"), a.opt("max"))), {D2L_OP(x[0].clamp(a.opt("min"), a.opt("max")))}},

      // ---- binary, broadcasting, with type promotion
      {"add", D2L_OP(add(x[0], x[1])), {D2L_OP(x[0] + x[1])}},
      {"sub", D2L_OP(sub(x[0], x[1])), {D2L_OP(x[0] - x[1])}},
      {"mul", D2L_OP(mul(x[0], x[1])), {D2L_OP(x[0] * x[1])}},
      {"div", D2L_OP(div(x[0], x[1])), {D2L_OP(x[0] / x[1])}},
      {"pow", D2L_OP(pow(x[0], x[1]))},
      {"maximum", D2L_OP(maximum(x[0], x[1]))},
      {"minimum", D2L_OP(minimum(x[0], x[1]))},
      {"eq", D2L_OP(eq(x[0], x[1])), {D2L_OP(x[0] == x[1])}},
      {"ne", D2L_OP(ne(x[0], x[1])), {D2L_OP(x[0] != x[1])}},
      {"lt", D2L_OP(lt(x[0], x[1])), {D2L_OP(x[0] < x[1])}},
      {"le", D2L_OP(le(x[0], x[1])), {D2L_OP(x[0] <= x[1])}},
      {"gt", D2L_OP(gt(x[0], x[1])), {D2L_OP(x[0] > x[1])}},
      {"ge", D2L_OP(ge(x[0], x[1])), {D2L_OP(x[0] >= x[1])}},
      {"where", D2L_OP(where(x[0], x[1], x[2]))},

      // ---- with a Python number
      {"add_scalar", D2L_OP(add(x[0], a.d("scalar"))), {D2L_OP(x[0] + a.d("scalar")), D2L_OP(a.d("scalar") + x[0])}},
      {"sub_scalar", D2L_OP(x[0] - a.d("scalar"))},
      {"rsub_scalar", D2L_OP(a.d("scalar") - x[0])},
      {"mul_scalar", D2L_OP(mul(x[0], a.d("scalar"))), {D2L_OP(x[0] * a.d("scalar")), D2L_OP(a.d("scalar") * x[0])}},
      {"div_scalar", D2L_OP(x[0] / a.d("scalar"))},
      {"rdiv_scalar", D2L_OP(a.d("scalar") / x[0])},
      {"pow_scalar", D2L_OP(pow(x[0], a.d("scalar"))), {D2L_OP(x[0].pow(a.d("scalar")))}},
      {"gt_scalar", D2L_OP(x[0] > a.d("scalar"))},
      {"lt_scalar", D2L_OP(x[0] < a.d("scalar"))},

      // ---- reductions
      {"sum", D2L_OP(sum(x[0])), {D2L_OP(x[0].sum())}},
      {"sum_dim", D2L_OP(sum(x[0], a.shape("dim"), a.flag("keepdim"))),
       {D2L_OP(x[0].sum(a.shape("dim"), a.flag("keepdim")))}},
      {"mean", D2L_OP(mean(x[0])), {D2L_OP(x[0].mean())}},
      {"mean_dim", D2L_OP(mean(x[0], a.shape("dim"), a.flag("keepdim"))),
       {D2L_OP(x[0].mean(a.shape("dim"), a.flag("keepdim")))}},
      {"max", D2L_OP(max(x[0])), {D2L_OP(x[0].max())}},
      {"max_dim",
       [](const Inputs& x, const Args& a) -> Outputs {
         auto [values, indices] = max(x[0], a.i("dim"), a.flag("keepdim"));
         return {values, indices};
       }},
      {"argmax", D2L_OP(argmax(x[0])), {D2L_OP(x[0].argmax())}},
      {"argmax_dim", D2L_OP(argmax(x[0], a.i("dim"), a.flag("keepdim"))),
       {D2L_OP(x[0].argmax(a.i("dim"), a.flag("keepdim")))}},
      {"sum_to", D2L_OP(sum_to(x[0], a.shape("shape")))},

      // ---- linear algebra
      {"mm", D2L_OP(mm(x[0], x[1])), {D2L_OP(x[0].mm(x[1]))}},
      {"matmul", D2L_OP(matmul(x[0], x[1])), {D2L_OP(x[0].matmul(x[1]))}},
      {"linear", D2L_OP(linear(x[0], x[1], x.size() > 2 ? x[2] : Tensor()))},

      // ---- softmax, gather, indexing, joins
      {"softmax", D2L_OP(softmax(x[0], a.i("dim")))},
      {"log_softmax", D2L_OP(log_softmax(x[0], a.i("dim")))},
      {"gather", D2L_OP(gather(x[0], a.i("dim"), x[1]))},
      {"index_select", D2L_OP(index_select(x[0], a.i("dim"), x[1])), {D2L_OP(x[0].index_select(a.i("dim"), x[1]))}},
      {"cat", D2L_OP(cat(x, a.i("dim")))},
      {"stack", D2L_OP(stack(x, a.i("dim")))},
      {"one_hot", D2L_OP(one_hot(x[0], a.i("num_classes")))},
      {"embedding", D2L_OP(embedding(x[0], x[1]))},

      // ---- views and copies
      {"view", D2L_OP(x[0].view(a.shape("shape")))},
      {"reshape", D2L_OP(x[0].reshape(a.shape("shape")))},
      {"flatten", D2L_OP(flatten(x[0], a.i("start_dim"), a.i("end_dim"))),
       {D2L_OP(x[0].flatten(a.i("start_dim"), a.i("end_dim")))}},
      {"transpose", D2L_OP(x[0].transpose(a.i("dim0"), a.i("dim1")))},
      {"t", D2L_OP(x[0].t())},
      {"permute", D2L_OP(x[0].permute(a.shape("dims")))},
      {"narrow", D2L_OP(x[0].narrow(a.i("dim"), a.i("start"), a.i("length")))},
      {"slice", D2L_OP(x[0].slice(a.i("dim"), a.opt_i("start"), a.opt_i("end"), a.i("step")))},
      {"select", D2L_OP(x[0].select(a.i("dim"), a.i("index"))),
       {D2L_OP(a.i("dim") == 0 ? x[0][a.i("index")] : x[0].select(a.i("dim"), a.i("index")))}},
      {"unsqueeze", D2L_OP(x[0].unsqueeze(a.i("dim")))},
      {"squeeze", D2L_OP(x[0].squeeze())},
      {"squeeze_dim", D2L_OP(x[0].squeeze(a.i("dim")))},
      {"expand", D2L_OP(x[0].expand(a.shape("shape")))},
      {"contiguous", D2L_OP(x[0].contiguous())},
      {"clone", D2L_OP(x[0].clone())},
      {"to", D2L_OP(x[0].to(a.dtype("dtype")))},

      // ---- creation
      {"arange", D2L_OP(arange(a.d("start"), a.d("end"), a.d("step"), a.dtype("dtype")))},
      {"full", D2L_OP(full(a.shape("shape"), a.d("value"), a.dtype("dtype")))},
      {"zeros", D2L_OP(zeros(a.shape("shape"), a.dtype("dtype")))},
      {"ones", D2L_OP(ones(a.shape("shape"), a.dtype("dtype")))},
      {"eye", D2L_OP(eye(a.i("n"), a.dtype("dtype")))},
      {"scalar_tensor", D2L_OP(scalar_tensor(a.d("value"), a.dtype("dtype")))},
      {"zeros_like", D2L_OP(zeros_like(x[0]))},
      {"ones_like", D2L_OP(ones_like(x[0]))},

      // ---- in place: forward values only, on a copy outside any graph
      {"neg_", D2L_INPLACE(y.neg_())},
      {"exp_", D2L_INPLACE(y.exp_())},
      {"log_", D2L_INPLACE(y.log_())},
      {"sqrt_", D2L_INPLACE(y.sqrt_())},
      {"abs_", D2L_INPLACE(y.abs_())},
      {"tanh_", D2L_INPLACE(y.tanh_())},
      {"sigmoid_", D2L_INPLACE(y.sigmoid_())},
      {"relu_", D2L_INPLACE(y.relu_())},
      {"clamp_", D2L_INPLACE(y.clamp_(a.opt("min"), a.opt("max")))},
      {"pow_", D2L_INPLACE(y.pow_(a.d("scalar")))},
      {"fill_", D2L_INPLACE(y.fill_(a.d("value")))},
      {"zero_", D2L_INPLACE(y.zero_())},
      {"add_", D2L_INPLACE(y.add_(x[1].detach())), {D2L_INPLACE(y += x[1].detach())}},
      {"sub_", D2L_INPLACE(y.sub_(x[1].detach())), {D2L_INPLACE(y -= x[1].detach())}},
      {"mul_", D2L_INPLACE(y.mul_(x[1].detach())), {D2L_INPLACE(y *= x[1].detach())}},
      {"div_", D2L_INPLACE(y.div_(x[1].detach())), {D2L_INPLACE(y /= x[1].detach())}},
      {"add_alpha_", D2L_INPLACE(y.add_(x[1].detach(), a.d("alpha")))},
      {"add_scalar_", D2L_INPLACE(y.add_(a.d("scalar"))), {D2L_INPLACE(y += a.d("scalar"))}},
      {"mul_scalar_", D2L_INPLACE(y.mul_(a.d("scalar"))), {D2L_INPLACE(y *= a.d("scalar"))}},
      {"copy_", D2L_INPLACE(y.copy_(x[1].detach()))},
  };
}

#undef D2L_OP
#undef D2L_INPLACE

}  // namespace

const std::vector<OpEntry>& op_table() {
  static const std::vector<OpEntry> table = make_table();
  return table;
}

}  // namespace d2l::testing
