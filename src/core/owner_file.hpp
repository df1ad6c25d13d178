// An owner file (业主档案) as the tablet shows it: unit, the people living there with their phones, move-in date,
// vehicles. Confidential (domain.md): the tablet keeps the files of the sites whose owner database the person's role
// reads, masks every phone number, and logs every opening (core/access_log) before it shows one.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace steward::core {

struct OwnerPerson {
  std::string name;
  std::string relation;  // 业主, 配偶, 租户 … as recorded
  std::string phone;
};

struct OwnerVehicle {
  std::string plate;
  std::string description;  // make, model, colour as recorded
};

struct OwnerFile {
  std::string id;  // "owner_file:…"
  std::string site;
  std::string building;
  std::string unit;
  std::string move_in;  // the date as recorded ("2021-05-16")
  std::vector<OwnerPerson> people;
  std::vector<OwnerVehicle> vehicles;
  std::string notes;
};

// Documents of type "owner_file". Lenient about shapes the server may grow into (a vehicle as a plate string or an
// object, a person's phones as one string or a list, a move-in date as a date string or epoch milliseconds, the
// building inside the unit or beside it); throws std::invalid_argument when it is not an owner file at all.
OwnerFile owner_file_from_json(const nlohmann::json& doc);
// "3栋 1202" (the building only when it is not already part of the unit).
std::string owner_file_title(const OwnerFile& f);
// Matches the unit or the building only: finding a person's home by their name would disclose it without a log.
bool owner_file_matches(const OwnerFile& f, const std::string& query);

}  // namespace steward::core
