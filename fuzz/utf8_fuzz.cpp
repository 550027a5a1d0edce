// The UTF-8 decoders (src/text/utf8.cpp) and the tokenizer (src/text/tokenize.cpp), with the
// properties that tie them together: the strict decoder accepts exactly what
// find_invalid_utf8 calls valid, the lossy decoder and to_valid_utf8 agree, and valid text
// survives decode + encode unchanged.
#include <string>

#include "d2l/text/lines.h"
#include "d2l/text/tokenize.h"
#include "d2l/text/utf8.h"
#include "fuzz_util.h"

using namespace d2l::text;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto invalid = find_invalid_utf8(text);
  try {
    const std::u32string cps = decode_utf8(text);
    if (invalid) fuzz::fail("decode_utf8 accepted what find_invalid_utf8 refuses");
    if (encode_utf8(cps) != skip_bom(text)) fuzz::fail("decode + encode changed valid text");
  } catch (const d2l::Error& e) {
    fuzz::check_message(e);
    if (!invalid) fuzz::fail("decode_utf8 refused valid text:", e.what());
  }

  std::int64_t replaced_lossy = 0, replaced_valid = 0;
  const std::u32string lossy = decode_utf8_lossy(text, &replaced_lossy);
  const std::string valid = to_valid_utf8(skip_bom(text), &replaced_valid);
  if (replaced_lossy != replaced_valid) fuzz::fail("lossy decoders count replacements differently");
  if ((replaced_lossy == 0) != !invalid) fuzz::fail("replacements without an invalid sequence, or none with one");
  if (encode_utf8(lossy) != valid) fuzz::fail("decode_utf8_lossy and to_valid_utf8 disagree");
  if (find_invalid_utf8(valid)) fuzz::fail("to_valid_utf8 left an invalid sequence");

  // The tokenizer on lines of valid text (what read_lines hands it).
  const Lines lines = Lines::from_text(valid);
  for (const TokenKind kind : {TokenKind::word, TokenKind::character}) {
    const Tokens tokens = tokenize(lines, kind);
    std::size_t count = 0;
    for (std::size_t i = 0; i < tokens.size(); ++i)
      for (std::string_view token : tokens[i]) {
        if (token.empty()) fuzz::fail("an empty token");
        ++count;
      }
    if (kind == TokenKind::character && count > valid.size()) fuzz::fail("more characters than bytes");
  }
  return 0;
}
