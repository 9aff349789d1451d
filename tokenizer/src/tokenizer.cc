// Format dispatch and batch encoding, shared by every tokenizer kind.
#include <sys/stat.h>

#include <atomic>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "loaders/loaders.h"
#include "tokgraft/tokenizer.h"

namespace tokgraft {
namespace {

bool IsDirectory(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

std::string Stem(const std::string& path) {
  size_t slash = path.find_last_of('/');
  std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  size_t dot = name.find('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

bool LooksLikeJson(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char c;
  while (in.get(c)) {
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    return c == '{';
  }
  return false;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Tokenizer>> LoadTokenizer(const std::string& path, const LoadOptions& options) {
  if (!Exists(path)) return absl::NotFoundError(absl::StrFormat("%s does not exist", path));
  if (IsDirectory(path)) {
    const std::string json = path + "/tokenizer.json";
    if (Exists(json)) return LoadHfTokenizerJson(json);
    const std::string model = path + "/tokenizer.model";
    if (Exists(model)) return LoadSentencePiece(model);
    return absl::NotFoundError(absl::StrFormat("%s holds neither tokenizer.json nor tokenizer.model", path));
  }
  if (absl::EndsWith(path, ".tiktoken")) {
    return LoadTiktoken(path, options.tiktoken_pattern.empty() ? Stem(path) : options.tiktoken_pattern);
  }
  if (absl::EndsWith(path, ".model")) return LoadSentencePiece(path);
  if (absl::EndsWith(path, ".json") || LooksLikeJson(path)) return LoadHfTokenizerJson(path);
  return absl::InvalidArgumentError(absl::StrFormat(
      "cannot tell the format of %s: expected a tokenizer.json, a .tiktoken file, a .model file or a "
      "model folder",
      path));
}

absl::StatusOr<std::vector<Encoding>> Tokenizer::EncodeBatch(const std::vector<std::string_view>& texts,
                                                             const EncodeOptions& options, int threads) const {
  std::vector<Encoding> out(texts.size());
  std::vector<absl::Status> errors(texts.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < texts.size(); i = next++) {
      EncodeOptions text_options = options;
      text_options.dropout_seed += i;
      auto encoded = Encode(texts[i], text_options);
      if (encoded.ok()) {
        out[i] = *std::move(encoded);
      } else {
        errors[i] = encoded.status();
      }
    }
  };
  const size_t n = std::max<size_t>(1, std::min<size_t>(threads > 0 ? threads : 1, texts.size()));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
  for (size_t i = 0; i < errors.size(); ++i) {
    if (!errors[i].ok()) {
      return absl::Status(errors[i].code(), absl::StrFormat("text %d: %s", i, errors[i].message()));
    }
  }
  return out;
}

absl::Status Tokenizer::PreTokenize(std::string_view text, const std::function<void(std::string_view)>& visit) const {
  return absl::UnimplementedError(
      absl::StrFormat("a %s tokenizer does not expose its pre-tokenization", Info().format));
}

absl::StatusOr<std::vector<ByteSpan>> Tokenizer::PreTokenSpans(std::string_view) const {
  return absl::UnimplementedError("this tokenizer does not expose its pre-tokenizer");
}

absl::StatusOr<std::vector<uint32_t>> Tokenizer::EncodePiece(std::string_view) const {
  return absl::UnimplementedError("this tokenizer does not expose its model");
}

}  // namespace tokgraft
