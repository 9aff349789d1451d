// Word counting: text -> words -> counts, and the count file format.
#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "status_macros.h"
#include "tokgraft/atomic_file.h"
#include "tokgraft/trainer.h"
#include "training/word_splitter.h"
#include "utf8.h"

namespace tokgraft {
namespace {

constexpr std::string_view kHeaderPrefix = "#tokgraft-word-counts v1 pre_tokenizer=";

void AppendEscaped(std::string_view word, std::string* out) {
  for (char c : word) {
    switch (c) {
      case '\\': out->append("\\\\"); break;
      case '\t': out->append("\\t"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      default: out->push_back(c);
    }
  }
}

bool Unescape(std::string_view escaped, std::string* word) {
  word->clear();
  for (size_t i = 0; i < escaped.size(); ++i) {
    if (escaped[i] != '\\') {
      word->push_back(escaped[i]);
      continue;
    }
    if (++i == escaped.size()) return false;
    switch (escaped[i]) {
      case '\\': word->push_back('\\'); break;
      case 't': word->push_back('\t'); break;
      case 'n': word->push_back('\n'); break;
      case 'r': word->push_back('\r'); break;
      default: return false;
    }
  }
  return true;
}

}  // namespace

WordCounts::WordCounts(std::shared_ptr<const WordSplitter> splitter) : splitter_(std::move(splitter)) {}

absl::Status WordCounts::AddText(std::string_view text) {
  if (size_t bad = utf8::FindInvalid(text); bad != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat("invalid UTF-8 at byte %d", bad));
  }
  while (!text.empty()) {
    const size_t eol = text.find('\n');
    const size_t end = eol == std::string_view::npos ? text.size() : eol + 1;
    splitter_->ForEachWord(text.substr(0, end), [this](std::string_view word) { AddWord(word, 1); });
    text.remove_prefix(end);
  }
  return absl::OkStatus();
}

void WordCounts::AddWord(std::string_view word, uint64_t count) {
  words_[absl::string_view(word.data(), word.size())] += count;
  total_ += count;
}

absl::Status WordCounts::Add(const WordCounts& other) {
  if (other.splitter().info().pre_tokenizer_json != splitter_->info().pre_tokenizer_json) {
    return absl::InvalidArgumentError(absl::StrFormat("word counts made with pre-tokenizer '%s' cannot be added to "
                                                      "counts made with '%s'",
                                                      other.splitter().info().name, splitter_->info().name));
  }
  for (const auto& [word, count] : other.words_) AddWord(word, count);
  return absl::OkStatus();
}

absl::Status WordCounts::Save(const std::string& path) const {
  std::vector<const std::pair<const std::string, uint64_t>*> sorted;
  sorted.reserve(words_.size());
  for (const auto& entry : words_) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  absl::StatusOr<std::unique_ptr<AtomicFile>> file = AtomicFile::Create(path);
  if (!file.ok()) return file.status();
  std::string buffer = absl::StrCat(std::string(kHeaderPrefix), splitter_->info().name, "\n");
  for (const auto* entry : sorted) {
    absl::StrAppend(&buffer, entry->second, "\t");
    AppendEscaped(entry->first, &buffer);
    buffer.push_back('\n');
    if (buffer.size() > (1 << 20)) {
      (*file)->Write(buffer);
      buffer.clear();
    }
  }
  (*file)->Write(buffer);
  return (*file)->Commit();
}

absl::Status WordCounts::Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", path, std::strerror(errno)));
  std::string line, word;
  size_t line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    std::string_view view = line;
    if (view.substr(0, kHeaderPrefix.size()) == kHeaderPrefix) {
      const std::string_view name = view.substr(kHeaderPrefix.size());
      if (name != splitter_->info().name) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "%s:%d: counts were made with pre-tokenizer '%s', not '%s'", path, line_number, name,
            splitter_->info().name));
      }
      continue;
    }
    const size_t tab = view.find('\t');
    uint64_t count = 0;
    if (line_number == 1 || tab == std::string_view::npos || !absl::SimpleAtoi(absl::string_view(view.data(), tab), &count) ||
        !Unescape(view.substr(tab + 1), &word) || utf8::FindInvalid(word) != std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s:%d: not a word-count line (expected the '%s' header, then COUNT<TAB>WORD lines)", path, line_number,
          kHeaderPrefix));
    }
    AddWord(word, count);
  }
  if (in.bad()) return absl::DataLossError(absl::StrFormat("error while reading %s", path));
  if (line_number == 0) return absl::InvalidArgumentError(absl::StrFormat("%s: empty word-count file", path));
  return absl::OkStatus();
}

absl::StatusOr<WordCounts> ReadCountFiles(std::shared_ptr<const WordSplitter> splitter,
                                          const std::vector<std::string>& files) {
  WordCounts counts(std::move(splitter));
  for (const std::string& file : files) TOKGRAFT_RETURN_IF_ERROR(counts.Read(file));
  return counts;
}

absl::StatusOr<WordCounts> CountFiles(std::shared_ptr<const WordSplitter> splitter,
                                      const std::vector<std::string>& files, int threads,
                                      const std::function<void(uint64_t)>& on_bytes) {
  threads = std::max(1, threads);
  // Blocks end at a line end, so that every line is split whole.
  constexpr size_t kBlockBytes = 8 << 20;
  std::vector<WordCounts> partial(threads, WordCounts(splitter));
  uint64_t bytes_read = 0;
  for (const std::string& file : files) {
    std::ifstream stream;
    std::istream* in = &std::cin;
    if (file != "-") {
      stream.open(file, std::ios::binary);
      if (!stream) return absl::NotFoundError(absl::StrFormat("cannot read %s: %s", file, std::strerror(errno)));
      in = &stream;
    }
    std::string carry;
    uint64_t file_offset = 0;
    bool at_end = false;
    while (!at_end) {
      // One block per thread, counted in parallel.
      std::vector<std::string> blocks;
      while (static_cast<int>(blocks.size()) < threads && !at_end) {
        std::string block = std::move(carry);
        carry.clear();
        size_t cut = std::string::npos;
        while (cut == std::string::npos && !at_end) {
          const size_t have = block.size();
          block.resize(have + kBlockBytes);
          in->read(block.data() + have, kBlockBytes);
          block.resize(have + static_cast<size_t>(in->gcount()));
          if (in->bad()) return absl::DataLossError(absl::StrFormat("error while reading %s", file));
          at_end = !*in;
          cut = block.rfind('\n');
        }
        if (!at_end) {
          carry = block.substr(cut + 1);
          block.resize(cut + 1);
        }
        blocks.push_back(std::move(block));
      }
      std::vector<absl::Status> results(blocks.size());
      std::vector<std::thread> workers;
      for (size_t t = 0; t < blocks.size(); ++t) {
        workers.emplace_back([&, t] { results[t] = partial[t].AddText(blocks[t]); });
      }
      for (std::thread& w : workers) w.join();
      for (size_t t = 0; t < blocks.size(); ++t) {
        if (!results[t].ok()) {
          const size_t bad = utf8::FindInvalid(blocks[t]);
          if (bad == std::string_view::npos) return results[t];
          return absl::InvalidArgumentError(absl::StrFormat("%s: invalid UTF-8 at byte %d", file, file_offset + bad));
        }
        file_offset += blocks[t].size();
        bytes_read += blocks[t].size();
      }
      if (on_bytes) on_bytes(bytes_read);
    }
  }
  WordCounts total(splitter);
  for (const WordCounts& p : partial) TOKGRAFT_RETURN_IF_ERROR(total.Add(p));
  return total;
}

}  // namespace tokgraft
