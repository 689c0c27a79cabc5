#include "app/demo_loader.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include <map>

#include "core/file.h"
#include "domain/use_case_json.h"

namespace vigie::app {

using nlohmann::json;

namespace {

constexpr const char* kDemoSource = "demo:data/demo/fiches.json";

std::string sha256_hex(const std::string& bytes) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace

Result<DemoLoadReport> load_demo(const std::filesystem::path& file, store::Instance& instance, store::UseCaseStore& store, const Clock& clock) {
  TRY_ASSIGN(const std::string content, read_file(file));
  DemoLoadReport report;
  report.version = sha256_hex(content);
  TRY_ASSIGN(auto previous, instance.source_version(kDemoSource));
  if (previous == report.version) {
    report.already_loaded = true;
    return report;
  }

  json document;
  try {
    document = json::parse(content);
  } catch (const json::parse_error& error) {
    return Error::invalid(fmt::format("{} : JSON mal formé à l'octet {}", file.string(), error.byte));
  }
  if (!document.is_array()) return Error::invalid(fmt::format("{} : une liste de fiches est attendue", file.string()));

  std::map<std::string, std::size_t> index_of_key;
  for (std::size_t i = 0; i < document.size(); ++i) {
    const std::string key = document[i].value("cle", "");
    if (key.empty() || !index_of_key.emplace(key, i).second) {
      return Error::invalid(fmt::format("{} : fiche n° {} : clé « cle » absente ou en double", file.string(), i + 1));
    }
  }
  std::vector<store::ImportItem> items;
  for (std::size_t i = 0; i < document.size(); ++i) {
    json entry = document[i];
    const std::string key = entry["cle"].get<std::string>();
    store::ImportItem item;
    if (entry.contains("relations") && entry["relations"].is_array()) {
      for (const auto& relation : entry["relations"]) {
        const std::string target = relation.value("cle", "");
        auto found = index_of_key.find(target);
        if (found == index_of_key.end()) {
          return Error::invalid(fmt::format("{} : fiche « {} » : relation vers « {} », qui n'existe pas", file.string(), key, target));
        }
        item.batch_relations.push_back({relation.value("type", ""), found->second});
      }
    }
    entry.erase("cle");
    entry.erase("relations");
    auto use_case = domain::from_json(entry, domain::ReadOnlyFields::keep);
    if (!use_case.ok()) {
      Error error = std::move(use_case).error();
      error.message = fmt::format("{} : fiche « {} » : {}", file.string(), key, error.message);
      return error;
    }
    item.use_case = std::move(use_case).value();
    item.label = fmt::format("fiche « {} »", key);
    item.use_case.demo = true;
    if (item.use_case.updated_at.empty()) item.use_case.updated_at = item.use_case.created_at;
    items.push_back(std::move(item));
  }
  auto imported = store.import_batch(std::move(items), store::Actor{"cli:demo"}, store::Timestamps::keep,
                                     store::ImportMode::replace_demo);
  if (!imported.ok()) {
    Error error = std::move(imported).error();
    error.message = fmt::format("{} : {}", file.string(), error.message);
    return error;
  }
  report.loaded = imported->size();
  TRY_STATUS(instance.record_source_version(kDemoSource, report.version, clock.now_rfc3339()));
  return report;
}

}  // namespace vigie::app
