// Phone and plate normalisation, masking and form validation.
#include <doctest/doctest.h>

#include "core/visit.hpp"

using namespace steward::core;

namespace {

VisitDraft valid_draft() {
  VisitDraft d;
  d.name = "张三";
  d.phone = "13812345678";
  d.party_size = 2;
  d.channel = Channel::WalkIn;
  return d;
}

std::string repeat(std::string_view s, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += s;
  return out;
}

}  // namespace

TEST_SUITE("phone") {
  TEST_CASE("separators and country codes are stripped") {
    CHECK(normalize_phone("13812345678") == "13812345678");
    CHECK(normalize_phone("138 1234 5678") == "13812345678");
    CHECK(normalize_phone("138-1234-5678") == "13812345678");
    CHECK(normalize_phone("138.1234.5678") == "13812345678");
    CHECK(normalize_phone("(138) 1234-5678") == "13812345678");
    CHECK(normalize_phone("+86 13812345678") == "13812345678");
    CHECK(normalize_phone("+86 138 1234 5678") == "13812345678");
    CHECK(normalize_phone("0086 138 1234 5678") == "13812345678");
    CHECK(normalize_phone("8613812345678") == "13812345678");
    CHECK(normalize_phone("+86-138-1234-5678") == "13812345678");
  }

  TEST_CASE("full-width digits from a Chinese IME are folded") {
    CHECK(normalize_phone("１３８１２３４５６７８") == "13812345678");
    CHECK(normalize_phone("＋８６　１３８－１２３４－５６７８") == "13812345678");
    CHECK(normalize_phone("（138）12345678") == "13812345678");
  }

  TEST_CASE("a country code is dropped only when 11 digits remain") {
    CHECK(normalize_phone("86123") == "86123");
    CHECK(normalize_phone("861381234567") == "861381234567");  // 12 digits: not +86 plus a mobile
    CHECK(normalize_phone("+85291234567") == "+85291234567");  // Hong Kong stays as typed
    CHECK(normalize_phone("") == "");
    CHECK(normalize_phone("abc") == "abc");
  }

  TEST_CASE("mainland mobile numbers") {
    CHECK(is_mainland_mobile("13812345678"));
    CHECK(is_mainland_mobile("19912345678"));
    CHECK(is_mainland_mobile("15000000000"));
    CHECK_FALSE(is_mainland_mobile("12812345678"));  // second digit 2
    CHECK_FALSE(is_mainland_mobile("10012345678"));
    CHECK_FALSE(is_mainland_mobile("23812345678"));
    CHECK_FALSE(is_mainland_mobile("1381234567"));
    CHECK_FALSE(is_mainland_mobile("138123456789"));
    CHECK_FALSE(is_mainland_mobile("1381234567a"));
    CHECK_FALSE(is_mainland_mobile("138 1234 5678"));  // must be normalised first
    CHECK_FALSE(is_mainland_mobile(""));
  }

  TEST_CASE("masking") {
    CHECK(mask_phone("13812345678") == "138****5678");
    CHECK(mask_phone("") == "");
    CHECK(mask_phone("1") == "*");
    CHECK(mask_phone("12") == "*2");
    CHECK(mask_phone("1234") == "1**4");
    CHECK(mask_phone("12345678") == "12****78");
    CHECK(mask_phone("+85291234567") == "+85*****4567");
    // Never shows more than half of a short number.
    for (size_t n = 1; n < 11; ++n) {
      const std::string masked = mask_phone(std::string(n, '9'));
      CHECK(masked.size() == n);
      CHECK(static_cast<size_t>(std::count(masked.begin(), masked.end(), '*')) * 2 >= n);
    }
  }
}

TEST_SUITE("plate") {
  TEST_CASE("regular plates") {
    CHECK(normalize_plate("粤B12345") == "粤B12345");
    CHECK(normalize_plate("京A8K2M9") == "京A8K2M9");
    CHECK(normalize_plate("沪C0000Z") == "沪C0000Z");
    CHECK(normalize_plate("琼A12345") == "琼A12345");
  }

  TEST_CASE("new-energy plates") {
    CHECK(normalize_plate("粤BD12345") == "粤BD12345");
    CHECK(normalize_plate("粤BF1A234") == "粤BF1A234");
    CHECK(normalize_plate("粤B12345D") == "粤B12345D");
    CHECK(normalize_plate("粤B12345F") == "粤B12345F");
  }

  TEST_CASE("separators, case and full-width letters are normalised") {
    CHECK(normalize_plate("粤b·12345") == "粤B12345");
    CHECK(normalize_plate("粤B-12345") == "粤B12345");
    CHECK(normalize_plate(" 粤 B 12345 ") == "粤B12345");
    CHECK(normalize_plate("粤B•12345") == "粤B12345");
    CHECK(normalize_plate("粤B・12345") == "粤B12345");  // U+30FB, the full-width middle dot
    CHECK(normalize_plate("粤Ｂ１２３４５") == "粤B12345");
    CHECK(normalize_plate("粤bd12345") == "粤BD12345");
    CHECK(normalize_plate("京a·8k2m9") == "京A8K2M9");
  }

  TEST_CASE("invalid plates") {
    CHECK_FALSE(normalize_plate(""));
    CHECK_FALSE(normalize_plate("粤"));
    CHECK_FALSE(normalize_plate("粤B"));
    CHECK_FALSE(normalize_plate("粤B1234"));     // too short
    CHECK_FALSE(normalize_plate("粤B123456"));   // 6 without a new-energy mark
    CHECK_FALSE(normalize_plate("粤BA12345"));   // 6 starting with a letter other than D/F
    CHECK_FALSE(normalize_plate("粤B1234AD"));   // large new-energy: 5 digits before D/F
    CHECK_FALSE(normalize_plate("粤B1234567"));  // too long
    CHECK_FALSE(normalize_plate("粤I12345"));    // I is never issued
    CHECK_FALSE(normalize_plate("粤O12345"));    // nor O
    CHECK_FALSE(normalize_plate("粤BI2345"));
    CHECK_FALSE(normalize_plate("粤BDO2345"));
    CHECK_FALSE(normalize_plate("粤112345"));    // issuing authority must be a letter
    CHECK_FALSE(normalize_plate("港A12345"));    // not a province abbreviation
    CHECK_FALSE(normalize_plate("AB12345"));
    CHECK_FALSE(normalize_plate("粤B1234学"));   // special plates deliberately not accepted
    CHECK_FALSE(normalize_plate("粤B1234警"));
    CHECK_FALSE(normalize_plate("粤B12_45"));
  }

  TEST_CASE("every province abbreviation opens a plate") {
    for (const char* p : {"京", "津", "沪", "渝", "冀", "豫", "云", "辽", "黑", "湘", "皖", "鲁", "新", "苏", "浙", "赣",
                          "鄂", "桂", "甘", "晋", "蒙", "陕", "吉", "闽", "贵", "粤", "青", "藏", "川", "宁", "琼"}) {
      CHECK(normalize_plate(std::string(p) + "A12345") == std::string(p) + "A12345");
    }
  }
}

TEST_CASE("utf8_length counts code points") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("张三") == 2);
  CHECK(utf8_length("张a三") == 3);
  CHECK(utf8_length("😀") == 1);
  CHECK(utf8_length("\xff\xfe") == 2);  // malformed bytes count one each
}

TEST_SUITE("validation") {
  TEST_CASE("a complete draft is valid") {
    CHECK(validate(valid_draft()).empty());
    VisitDraft d = valid_draft();
    d.phone = "+86 138-1234-5678";
    d.car_plate = "粤b·12345";
    d.appointed_consultant = "王丽娜";
    d.notes = "想看三房\n预算 300 万";
    CHECK(validate(d).empty());
  }

  TEST_CASE("an empty form reports the required fields in field order") {
    const auto errors = validate(VisitDraft{});
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].field == Field::Name);
    CHECK(errors[0].problem == Problem::Required);
    CHECK(errors[1].field == Field::Phone);
    CHECK(errors[1].problem == Problem::Required);
    CHECK(errors[2].field == Field::Channel);
    CHECK(errors[2].problem == Problem::Required);
  }

  TEST_CASE("every field wrong at once: one error per field, in field order") {
    VisitDraft d;
    d.name = repeat("张", kMaxNameChars + 1);
    d.phone = "12345";
    d.party_size = 0;
    d.appointed_consultant = repeat("王", kMaxConsultantChars + 1);
    d.car_plate = "not a plate";
    d.notes = repeat("字", kMaxNotesChars + 1);
    const auto errors = validate(d);
    REQUIRE(errors.size() == 7);
    const Field fields[] = {Field::Name, Field::Phone, Field::PartySize, Field::Channel,
                            Field::Consultant, Field::Plate, Field::Notes};
    const Problem problems[] = {Problem::TooLong, Problem::NotAMobileNumber, Problem::PartySizeOutOfRange,
                                Problem::Required, Problem::TooLong, Problem::NotAPlate, Problem::TooLong};
    for (size_t i = 0; i < errors.size(); ++i) {
      CHECK(errors[i].field == fields[i]);
      CHECK(errors[i].problem == problems[i]);
    }
  }

  TEST_CASE("names") {
    VisitDraft d = valid_draft();
    d.name = "  \t　 ";  // ASCII and ideographic spaces only
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].problem == Problem::Required);

    d.name = repeat("张", kMaxNameChars);  // 96 bytes, 32 characters
    CHECK(validate(d).empty());
    d.name = repeat(" ", 2) + repeat("张", kMaxNameChars) + repeat("　", 2);  // surrounding spaces do not count
    CHECK(validate(d).empty());
    d.name = repeat("张", kMaxNameChars + 1);
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].problem == Problem::TooLong);

    for (const char* bad : {"张\x01三", "张\n三", "张\t三", "张\x7f三", "张\u0085三"}) {
      d.name = bad;
      REQUIRE(validate(d).size() == 1);
      CHECK(validate(d)[0].field == Field::Name);
      CHECK(validate(d)[0].problem == Problem::ControlCharacters);
    }
  }

  TEST_CASE("phones") {
    VisitDraft d = valid_draft();
    d.phone = "   ";
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].problem == Problem::Required);
    for (const char* bad : {"12812345678", "1381234567", "010-12345678", "+852 9123 4567", "phone"}) {
      d.phone = bad;
      REQUIRE(validate(d).size() == 1);
      CHECK(validate(d)[0].problem == Problem::NotAMobileNumber);
    }
  }

  TEST_CASE("party size") {
    VisitDraft d = valid_draft();
    for (int ok : {1, 3, kMaxPartySize}) {
      d.party_size = ok;
      CHECK(validate(d).empty());
    }
    for (int bad : {0, -1, kMaxPartySize + 1}) {
      d.party_size = bad;
      REQUIRE(validate(d).size() == 1);
      CHECK(validate(d)[0].problem == Problem::PartySizeOutOfRange);
    }
  }

  TEST_CASE("optional fields") {
    VisitDraft d = valid_draft();
    d.car_plate = "   ";
    d.appointed_consultant = std::string(1, ' ');  // (a string literal here trips GCC 12's -Wrestrict bug)
    d.notes = "\n\n";
    CHECK(validate(d).empty());

    d.appointed_consultant = repeat("王", kMaxConsultantChars);
    CHECK(validate(d).empty());
    d.appointed_consultant = "王\x02";
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].problem == Problem::ControlCharacters);
  }

  TEST_CASE("notes allow line breaks but no other control characters") {
    VisitDraft d = valid_draft();
    d.notes = "第一行\r\n第二行\t备注";
    CHECK(validate(d).empty());
    d.notes = repeat("字", kMaxNotesChars);
    CHECK(validate(d).empty());
    d.notes = repeat("字", kMaxNotesChars + 1);
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].problem == Problem::TooLong);
    d.notes = "响铃\a";
    REQUIRE(validate(d).size() == 1);
    CHECK(validate(d)[0].field == Field::Notes);
    CHECK(validate(d)[0].problem == Problem::ControlCharacters);
  }
}

TEST_CASE("a consultant's typed name is trimmed and bounded") {
  using steward::core::normalize_consultant_name;
  CHECK(normalize_consultant_name("  周婷 ") == std::optional<std::string>("周婷"));
  CHECK(normalize_consultant_name("\u3000王磊\u3000") == std::optional<std::string>("王磊"));
  CHECK_FALSE(normalize_consultant_name("   "));
  CHECK_FALSE(normalize_consultant_name(std::string(33, 'a')));
  CHECK(normalize_consultant_name(std::string(32, 'a')));
  CHECK_FALSE(normalize_consultant_name("王\x01磊"));
}
