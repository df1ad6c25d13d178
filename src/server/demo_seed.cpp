#include "server/demo_seed.hpp"

#include "core/site.hpp"
#include "server/accounts.hpp"
#include "server/audit_log.hpp"
#include "server/auth.hpp"
#include "server/couch_db.hpp"
#include "server/couch_doc_writes.hpp"
#include "server/sqlite_store.hpp"

namespace steward::server {

using nlohmann::json;

const std::vector<DemoAccount>& demo_accounts() {
  static const std::vector<DemoAccount> accounts = {
      {"host", "迎宾小李", {"demo", core::Role::ShowroomHost}},
      {"frontdesk", "前台小陈", {"demo", core::Role::FrontDesk}},
      {"butler", "王管家", {"demo", core::Role::Butler}},
      {"supervisor", "周主管", {"demo", core::Role::Supervisor}},
      {"admin", "系统管理员", {"*", core::Role::Admin}},
  };
  return accounts;
}

std::vector<json> demo_owner_files() {
  const std::string site = core::demo_site().id;
  auto file = [&](const std::string& unit_key, const std::string& unit, json people, const std::string& move_in,
                  json vehicles, const std::string& notes) {
    return json{{"_id", "owner_file:" + unit_key}, {"type", "owner_file"}, {"site", site},
                {"unit", unit},                    {"people", std::move(people)}, {"move_in_date", move_in},
                {"vehicles", std::move(vehicles)}, {"notes", notes}};
  };
  auto person = [](const char* name, const char* relation, const char* phone, const char* employer) {
    return json{{"name", name}, {"relation", relation}, {"phone", phone}, {"employer", employer}};
  };
  auto car = [](const char* plate, const char* model, const char* space) {
    return json{{"plate", plate}, {"model", model}, {"parking_space", space}};
  };
  return {
      file("1-1-1202", "1栋1单元1202",
           {person("陈志明", "业主", "13816620937", "上海振华重工"), person("刘婉清", "配偶", "13917735218", "浦东新区人民医院")},
           "2021-10-16", {car("沪A·7K3D9", "白色 大众帕萨特", "B2-117")}, "装修已完工；养一只金毛"),
      file("2-1-0801", "2栋1单元801", {person("赵海燕", "业主", "15921087764", "自由职业")}, "2022-03-05", json::array(),
           "独居，紧急联系人为其弟赵海涛"),
      file("3-2-1503", "3栋2单元1503",
           {person("黄建国", "业主", "13701964452", "建设银行陆家嘴支行"), person("黄子涵", "子女", "18616203391", "复旦大学（在读）")},
           "2021-12-20", {car("沪B·M2618", "黑色 丰田凯美瑞", "B1-042"), car("沪A·D90512", "蓝色 比亚迪汉EV", "B1-043")},
           "新能源车位已装充电桩"),
      file("5-1-2601", "5栋1单元2601", {person("孙立伟", "业主", "13585527710", "立伟贸易有限公司"), person("王敏", "租户", "17717450326", "外企（未说明）")},
           "2023-06-01", {car("苏E·5Q7Y3", "灰色 特斯拉Model 3", "B2-201")}, "出租中，租期至2025-05-31；业主委托物业代收快递"),
      file("6-3-0302", "6栋3单元302", {person("周玉兰", "业主", "13062811905", "退休")}, "2021-09-30", json::array(),
           "老人独居，每月回访一次"),
  };
}

bool seed_demo_accounts(SqliteStore& store, HashCost cost) {
  bool wanted = false;
  store.read([&](StoreTransaction& tx) {
    wanted = tx.site_doc(core::demo_site().id).has_value() && AccountTables(tx).user_count() == 0;
  });
  if (!wanted) return false;
  // One hash for all five: they share a password everybody knows anyway, and each Argon2id hash costs half a second.
  const std::string hash = hash_password(kDemoPassword, cost);
  bool created = false;
  store.write([&](StoreTransaction& tx) {
    AccountTables accounts(tx);
    if (accounts.user_count() != 0) return;  // another process got there first
    const int64_t now = now_ms();
    for (const DemoAccount& a : demo_accounts()) {
      accounts.insert_user({a.name, a.display_name, hash, false, now, {}});
      accounts.add_grant(a.name, a.grant);
    }
    append_audit(tx, {now, "console", audit_action::kUserCreated, core::demo_site().id,
                      "the demo accounts (host, frontdesk, butler, supervisor, admin)"});
    created = true;
  });
  return created;
}

void seed_demo_owner_files(SqliteStore& store) {
  const std::string db_name = core::database_name(core::demo_site().id, core::RecordFamily::Owners);
  store.write([&](StoreTransaction& tx) {
    couch::CouchTables tables(tx);
    std::optional<couch::DbInfo> db = tables.find_db(db_name);
    if (!db) return;  // removed by hand: not ours to bring back
    couch::DocWriter writer(tables, *db);
    for (const json& file : demo_owner_files()) {
      const std::string id = file["_id"];
      if (tables.find_doc(db->id, id)) continue;
      writer.edit(id, couch::IncomingDoc::parse(file));
    }
    writer.finish();
  });
}

}  // namespace steward::server
