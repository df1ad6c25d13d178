#include "ui/strings.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "imgui.h"
#include "imgui_internal.h"  // ImTextCharFromUtf8

namespace steward::ui {
namespace {

Lang current = Lang::Zh;

struct Pair {
  const char* zh;
  const char* en;
};

// Indexed by S; keep in the enum's order.
constexpr Pair kStrings[] = {
    {"管家 · 案场来访登记", "Steward · Showroom visitors"},
    {"English", "中文"},
    {"登记来访", "Register"},
    {"今日来访", "Today"},
    {"今日统计", "Summary"},
    {"姓名", "Name"},
    {"手机号", "Mobile"},
    {"人数", "Party size"},
    {"来源渠道", "Channel"},
    {"指定置业顾问", "Appointed consultant"},
    {"车牌号", "Car plate"},
    {"备注", "Notes"},
    {"（选填）", " (optional)"},
    {"无", "None"},
    {"访客姓名", "Visitor's name"},
    {"11位手机号", "11-digit mobile number"},
    {"如 粤B12345", "e.g. 粤B12345"},
    {"需求、预算、陪同人员等", "Needs, budget, companions…"},
    {"首访", "First visit"},
    {"复访 · 第%d次", "Repeat visit · #%d"},
    {"上次来访：%s %s", "Last visit: %s %s"},
    {"保存登记", "Save visit"},
    {"清空", "Clear"},
    {"保存中…", "Saving…"},
    {"已保存：%s", "Saved: %s"},
    {"保存失败：%s", "Not saved: %s"},
    {"重试保存", "Retry saving"},
    {"全部已保存", "All saved"},
    {"未保存", "Not saved"},
    {"搜索姓名、手机号或车牌", "Search name, phone or plate"},
    {"到访", "Arrived"},
    {"访客", "Visitor"},
    {"手机", "Phone"},
    {"人数", "Party"},
    {"来访", "Visit"},
    {"状态", "Status"},
    {"等待", "Waited"},
    {"操作", "Actions"},
    {"等待中", "Waiting"},
    {"接待中（%s）", "With %s"},
    {"已离开", "Left"},
    {"%d分钟", "%d min"},
    {"接待", "Receive"},
    {"离开", "Left"},
    {"由哪位置业顾问接待 %s？", "Which consultant receives %s?"},
    {"取消", "Cancel"},
    {"其他置业顾问", "Another consultant"},
    {"确定", "OK"},
    {"今天还没有来访登记", "No visits registered today"},
    {"没有匹配的来访", "No matching visits"},
    {"%s 来访统计", "Visits on %s"},
    {"来访组数", "Visits"},
    {"来访人数", "People"},
    {"首访", "First visits"},
    {"复访", "Repeat visits"},
    {"等待中", "Waiting"},
    {"接待中", "With consultant"},
    {"已离开", "Left"},
    {"按来源渠道", "By channel"},
    {"持久存储：已授予", "Persistent storage: granted"},
    {"持久存储：未授予", "Persistent storage: not granted"},
    {"持久存储：未知", "Persistent storage: unknown"},
    {"已用 %s / %s", "Used %s of %s"},
    {"管家已在另一个标签页中打开，本页只读。请在那个标签页中登记。",
     "Steward is open in another tab. This tab is read-only; register visits there."},
    {"正在打开本机数据…", "Opening the data on this tablet…"},
    {"无法打开本机数据：%s", "Cannot open the data on this tablet: %s"},
    {"已从中断的写入中恢复（丢弃 %d 字节未完成的数据）", "Recovered from an interrupted write (%d incomplete bytes dropped)"},
    {"平板存储空间已满，记录未能保存。请清理空间后重试，记录仍保留在屏幕上。",
     "The tablet's storage is full; the record was not saved. Free some space and retry; it stays on screen."},
    {"写入本机存储失败", "Writing to the tablet's storage failed"},
    {"在线", "Online"},
    {"离线", "Offline"},
    {"上次同步 %s", "Last sync %s"},
    {"尚未同步", "Not synced yet"},
    {"待上传 %d 条", "%d waiting to upload"},
    {"全部已上传", "All uploaded"},
    {"正在下载 %d / %d", "Downloading %d / %d"},
    {"%d 秒后重试", "retrying in %d s"},
    {"同步出错：%s", "Sync problem: %s"},
    {"已合并", "Merged"},
    {"服务器响应太慢", "the server is answering too slowly"},
    {"服务器出错", "the server had an error"},
    {"服务器不允许本机同步，请联系主管", "the server does not allow this tablet to sync; ask your supervisor"},
    {"服务器上没有本门店的数据，请联系管理员", "the server has no data for this site; ask your administrator"},
    {"有一批数据超过了服务器的上限", "a batch was larger than the server accepts"},
    {"服务器的回应无法识别", "the server's answer could not be understood"},
    {"%d 条记录被服务器拒收", "the server refused %d records"},
    {"服务器拒绝了请求", "the server refused a request"},
    {"合并详情", "Merged edits"},
    {"这条记录在多台设备上同时被修改，已自动合并，没有丢失任何修改。",
     "This record was changed on several devices at the same time. The changes were merged; none was lost."},
    {"%s · %s", "%s · %s"},
    {"本机", "This tablet"},
    {"平板 %s", "Tablet %s"},
    {"另一台设备", "Another device"},
    {"采用了它的：%s", "Kept from it: %s"},
    {"它的修改已被更新的修改取代", "Its changes were superseded by later ones"},
    {"接待人", "Received by"},
    {"到访时间", "Arrival time"},
    {"接待时间", "Time received"},
    {"离开时间", "Time left"},
    {"来访次数", "Visit number"},
    {"知道了", "OK"},
    {"、", ", "},
    {"照片", "Photos"},
    {"全选", "Select all"},
    {"剪切", "Cut"},
    {"复制", "Copy"},
    {"粘贴", "Paste"},
    {"未能复制到剪贴板，文字仍在输入框中", "Could not copy to the clipboard; the text is still in the field"},
    {"浏览器未允许读取剪贴板：请在弹出的提示中允许，或用键盘上的粘贴",
     "The browser did not allow reading the clipboard: allow it when asked, or paste from the keyboard"},
    {"此页面无法使用剪贴板（需要 HTTPS）：请用键盘上的粘贴",
     "This page cannot use the clipboard (it needs HTTPS): paste from the keyboard"},
    {"剪贴板里没有文字", "There is no text on the clipboard"},
    {"工单", "Tickets"},
    {"巡查", "Patrol"},
    {"我的待办", "My open items"},
    {"超期", "Overdue"},
    {"待回访", "Return visits due"},
    {"按楼栋", "By building"},
    {"搜索", "Search"},
    {"＋ 新建工单", "+ New ticket"},
    {"【超期】", "[OVERDUE]"},
    {"重复报事 ×%d", "Repeat ×%d"},
    {"没有工单", "No tickets"},
    {"报修", "Repair"},
    {"投诉", "Complaint"},
    {"咨询", "Inquiry"},
    {"建议", "Suggestion"},
    {"巡查发现", "Patrol finding"},
    {"新建", "New"},
    {"已派单", "Dispatched"},
    {"处理中", "In progress"},
    {"已完成", "Done"},
    {"已回访", "Return-visited"},
    {"已关闭", "Closed"},
    {"普通", "Normal"},
    {"急修", "Emergency"},
    {"预约", "Scheduled"},
    {"类型", "Type"},
    {"楼栋", "Building"},
    {"房号", "Unit"},
    {"位置", "Place"},
    {"报事人", "Reporter"},
    {"联系电话", "Contact phone"},
    {"类别", "Category"},
    {"描述", "Description"},
    {"紧急程度", "Priority"},
    {"投诉级别", "Complaint level"},
    {"派往部门", "Department"},
    {"处理人", "Assignee"},
    {"回访结果", "Outcome"},
    {"满意度", "Satisfaction"},
    {"原因", "Reason"},
    {"答复内容", "Reply"},
    {"派单", "Dispatch"},
    {"开始处理", "Start"},
    {"处理完成", "Done"},
    {"答复业主", "Reply"},
    {"回访", "Return visit"},
    {"关闭工单", "Close"},
    {"保存工单", "Save ticket"},
    {"返回", "Back"},
    {"首接人：%s", "First contact: %s"},
    {"时限：%s", "Due: %s"},
    {"派往：%s", "Dispatched to: %s"},
    {"处理记录", "Timeline"},
    {"（未生效）", "(no effect)"},
    {"此操作现在不可用", "This step is not available now"},
    {"主管关闭未回访的工单须说明原因", "A supervisor closing without a return visit must give a reason"},
    {"请填写回访结果并选择满意度", "Enter the outcome and choose a satisfaction"},
    {"请填写派往部门或处理人", "Enter a department or an assignee"},
    {"已保存工单：%s", "Ticket saved: %s"},
    {"选择巡查路线", "Choose a route"},
    {"开始巡查", "Start round"},
    {"继续巡查", "Resume round"},
    {"暂停", "Pause"},
    {"完成巡查", "Finish round"},
    {"巡查已暂停", "Round paused"},
    {"正常", "Pass"},
    {"有问题", "Finding"},
    {"无法进入", "Not accessible"},
    {"已检查 %d / %d", "Checked %d / %d"},
    {"巡查完成：正常 %d，问题 %d，无法进入 %d", "Round finished: %d passed, %d findings, %d not accessible"},
    {"所有检查点已检查，可以完成巡查", "Every checkpoint has a result: the round can be finished"},
    {"记录问题：%s", "Record a finding: %s"},
    {"保存并生成工单", "Save and open a ticket"},
    {"暂无巡查路线（联网后自动下载）", "No routes yet (they download when online)"},
    {"%s 开始 · %s", "Started %s · %s"},
    {"当前用户：%s", "User: %s"},
    {"拍照", "Take photo"},
    {"照片 %d 张", "%d photo(s)"},
    {"登记", "Recorded"},
    {"派单", "Dispatched"},
    {"开始处理", "Started"},
    {"处理完成", "Done"},
    {"答复业主", "Replied"},
    {"约定答复日期", "Reply date agreed"},
    {"跟进备注", "Note"},
    {"回访", "Return visit"},
    {"关闭", "Closed"},
    {"其他", "Other"},
    {"管家 · 工单", "Steward · Tickets"},
    {"管家 · 巡查", "Steward · Patrol"},
    {"管家 · 服务指标", "Steward · Service targets"},
    {"管家 · 巡查路线", "Steward · Patrol routes"},
    {"服务指标", "Targets"},
    {"巡查路线", "Routes"},
    {"预约时间", "Appointment"},
    {"答复时限", "Reply by"},
    {"24小时内答复", "Within 24 hours"},
    {"约定答复时间", "Agreed reply time"},
    {"已选：%s", "Chosen: %s"},
    {"未选择时间", "No time chosen"},
    {"今天", "Today"},
    {"明天", "Tomorrow"},
    {"后天", "In 2 days"},
    {"其他部门", "Other"},
    {"其他部门名称", "Department name"},
    {"日", "Day"},
    {"周", "Week"},
    {"月", "Month"},
    {"‹ 上一期", "‹ Previous"},
    {"下一期 ›", "Next ›"},
    {"本期", "Current"},
    {"%s 至 %s", "%s to %s"},
    {"全部人员", "Everyone"},
    {"维修及时率", "Repair timeliness"},
    {"回访率", "Return-visit rate"},
    {"有效投诉处理率", "Complaint handling"},
    {"满意率", "Satisfaction"},
    {"无数据", "No data"},
    {"目标 %s", "Target %s"},
    {"达标 %d / %d", "%d of %d"},
    {"平均 %.1f 分", "Average %.1f"},
    {"%s · 近 %d 期", "%s · last %d periods"},
    {"拉低%s的工单（%d）", "Pulling down %s (%d)"},
    {"没有拉低此指标的工单", "Nothing pulls this figure down"},
    {"未处理，已超时 %s", "Not done, %s overdue"},
    {"超时 %s", "%s late"},
    {"未回访", "No return visit"},
    {"满意度 %d 分", "Scored %d"},
    {"按人员", "By person"},
    {"人员", "Person"},
    {"下载指标 CSV", "Download targets CSV"},
    {"下载工单明细 CSV", "Download tickets CSV"},
    {"已下载：%s", "Downloaded: %s"},
    {"%d天%d小时", "%dd %dh"},
    {"%d小时%d分", "%dh %dmin"},
    {"%d小时", "%dh"},
    {"%d分钟", "%d min"},
    {"达标", "On target"},
    {"未达标", "Below target"},
    {"选择要编辑的路线", "Choose a route to edit"},
    {"＋ 新建路线", "+ New route"},
    {"路线名称", "Route name"},
    {"区域", "Areas"},
    {"检查点 · %s", "Checkpoints · %s"},
    {"检查项 · %s", "Checks · %s"},
    {"＋ 添加区域", "+ Add area"},
    {"＋ 添加检查点", "+ Add checkpoint"},
    {"＋ 添加检查项", "+ Add check"},
    {"保存路线", "Save route"},
    {"放弃修改", "Discard changes"},
    {"已保存：之后开始的巡查使用新路线，进行中的巡查不受影响", "Saved: rounds started from now on use the new route; rounds under way are not affected"},
    {"有未保存的修改", "Unsaved changes"},
    {"上次修改：%s %s", "Last changed by %s, %s"},
    {"此路线已在其他平板上被修改：请先放弃修改，再重新编辑", "This route was changed on another tablet: discard your changes, then edit it again"},
    {"删除路线", "Delete route"},
    {"删除路线「%s」？之后不能再用它开始巡查；进行中的巡查仍按原路线完成。", "Delete the route \"%s\"? No new round can start on it; rounds under way finish on it."},
    {"确定删除", "Delete"},
    {"路线已删除", "Route deleted"},
    {"此路线已在其他平板上被删除：保存会把你的修改存为一条新路线", "This route was deleted on another tablet: saving stores your changes as a new route"},
    {"移到其他区域…", "Move to another area…"},
    {"把检查点「%s」移到：", "Move the checkpoint \"%s\" to:"},
    {"新区域%d", "New area %d"},
    {"新检查点%d", "New checkpoint %d"},
    {"新检查项", "New check"},
    {"新巡查路线", "New route"},
    {"案场客户管家", "Showroom host"},
    {"客服前台", "Front desk"},
    {"客服管家", "Butler"},
    {"客服主管", "Supervisor"},
    {"系统管理员", "Administrator"},
    {"员工登录", "Staff sign-in"},
    {"用户名", "User name"},
    {"密码", "Password"},
    {"登录名，如 butler", "Login name, e.g. butler"},
    {"至少8位", "At least 8 characters"},
    {"登录", "Sign in"},
    {"正在登录…", "Signing in…"},
    {"请填写用户名和密码", "Enter your user name and password"},
    {"用户名或密码错误", "Wrong user name or password"},
    {"登录尝试过多，请稍后再试", "Too many attempts: try again later"},
    {"密码错误次数过多，请 %d 秒后再试", "Too many wrong passwords: try again in %d s"},
    {"连不上服务器，而此用户还没有在这台平板上联网登录过，不能离线登录", "The server cannot be reached, and this user has not signed in online on this tablet yet: no offline sign-in"},
    {"连不上服务器；此浏览器不能离线登录（需要 HTTPS）", "The server cannot be reached; this browser cannot sign in offline (it needs HTTPS)"},
    {"此账号在任何项目都没有角色，请联系主管", "This account has no role at any site: ask your supervisor"},
    {"服务器暂时无法登录，请稍后再试", "The server cannot sign you in right now: try again later"},
    {"离线登录", "Signed in offline"},
    {"选择项目", "Choose a site"},
    {"正在打开你的数据…", "Opening your data…"},
    {"退出登录", "Sign out"},
    {"确定退出", "Sign out now"},
    {"还有 %d 条记录未上传。它们会保留在这台平板上，你下次登录并联网后自动上传。", "%d records are not uploaded yet. They stay on this tablet and upload the next time you sign in online."},
    {"所有记录都已上传。退出后，你在这台平板上的数据将被清除（服务器上保留）。", "Everything is uploaded. Signing out removes your data from this tablet (the server keeps it)."},
    {"此标签页只读：退出后数据保留在本机，由另一个标签页同步。", "This tab is read-only: your data stays on this tablet, synced by the other tab."},
    {"%s：%d 条记录未上传，已保留在本机", "%s: %d records not uploaded yet, kept on this tablet"},
    {"已锁定", "Locked"},
    {"%s 已登录，输入密码解锁", "%s is signed in: enter the password to unlock"},
    {"解锁", "Unlock"},
    {"换人登录", "Another person signs in"},
    {"换人登录将结束 %s 的登录", "This ends %s's session"},
    {"服务器要求重新登录，同步已暂停", "The server asks you to sign in again: sync is paused"},
    {"输入密码", "Enter password"},
    {"需要重新登录", "sign in again"},
    {"业主档案", "Owner files"},
    {"账号管理", "Accounts"},
    {"显示号码", "Show number"},
    {"已显示完整号码（已记入调阅记录）", "Full number shown (logged)"},
    {"未能记录查看，号码未显示", "The view could not be logged: number not shown"},
    {"关闭", "Close"},
    {"来访详情", "Visit"},
    {"业主档案（只读）", "Owner files (read only)"},
    {"打开档案会记入调阅记录", "Opening a file is logged"},
    {"这台平板上还没有业主档案", "No owner files on this tablet yet"},
    {"搜索房号", "Search unit"},
    {"房号", "Unit"},
    {"住户", "Residents"},
    {"入住日期", "Move-in date"},
    {"车辆", "Vehicles"},
    {"本次查看已记入调阅记录", "This view is logged"},
    {"未能记录调阅，档案未打开", "The view could not be logged: file not opened"},
    {"账号管理需要联网", "Account management needs the network"},
    {"人员", "People"},
    {"新增人员", "Add a person"},
    {"姓名", "Name"},
    {"新密码", "New password"},
    {"当前密码", "Current password"},
    {"修改密码", "Change password"},
    {"创建", "Create"},
    {"授予", "Grant"},
    {"撤销", "Revoke"},
    {"重置密码", "Reset password"},
    {"停用", "Disable"},
    {"启用", "Enable"},
    {"已停用", "Disabled"},
    {"项目设置", "Site settings"},
    {"项目名称", "Site name"},
    {"无操作自动锁定（分钟）", "Lock when idle (minutes)"},
    {"来访记录在平板上保留（天）", "Keep visitor records on tablets (days)"},
    {"保存设置", "Save settings"},
    {"操作记录", "Audit log"},
    {"刷新", "Refresh"},
    {"已完成", "Done"},
    {"未成功：%s", "Not done: %s"},
    {"正在加载…", "Loading…"},
    {"选择角色", "Choose a role"},
    {"选择人员后可授予角色、重置密码或停用", "Choose a person to grant a role, reset the password or disable"},
    {"每周审阅", "Weekly review"},
    {"巡查审阅", "Patrol review"},
    {"‹ 上一周", "‹ Previous week"},
    {"下一周 ›", "Next week ›"},
    {"本周", "This week"},
    {"审阅归档", "Review & archive"},
    {"全部审阅归档（%d）", "Review & archive all (%d)"},
    {"已审阅归档 · %s · %s", "Reviewed · %s · %s"},
    {"未完成", "Not finished"},
    {"这一周没有巡查记录", "No rounds this week"},
    {"正常 %d · 有问题 %d · 无法进入 %d · 用时 %s", "Pass %d · Findings %d · Not accessible %d · Took %s"},
    {"已审阅 %d / %d", "Reviewed %d / %d"},
    {"管家 · 业主档案", "Steward · Owner files"},
    {"管家 · 账号管理", "Steward · Accounts"},
    {"管家", "Steward"},
};
static_assert(sizeof(kStrings) / sizeof(kStrings[0]) == static_cast<size_t>(S::Count_), "one entry per S");

constexpr Pair kChannels[] = {
    {"自然到访", "Walk-in"}, {"网络", "Online"}, {"朋友介绍", "Referral"}, {"广告", "Advertisement"},
    {"老带新", "Owner referral"},
};

constexpr Pair kDepartments[] = {
    {"工程部", "Engineering"}, {"保洁部", "Cleaning"}, {"安保部", "Security"},
    {"绿化部", "Landscaping"}, {"秩序部", "Order"},    {"客服部", "Customer service"},
};

constexpr Pair kWeekdays[] = {{"周一", "Mon"}, {"周二", "Tue"}, {"周三", "Wed"}, {"周四", "Thu"},
                              {"周五", "Fri"}, {"周六", "Sat"}, {"周日", "Sun"}};

const char* pick(const Pair& p) { return current == Lang::Zh ? p.zh : p.en; }

const char* field_name(core::Field f) {
  switch (f) {
    case core::Field::Name: return tr(S::FieldName);
    case core::Field::Phone: return tr(S::FieldPhone);
    case core::Field::PartySize: return tr(S::FieldPartySize);
    case core::Field::Channel: return tr(S::FieldChannel);
    case core::Field::Consultant: return tr(S::FieldConsultant);
    case core::Field::Plate: return tr(S::FieldPlate);
    case core::Field::Notes: return tr(S::FieldNotes);
  }
  return "";
}

}  // namespace

void set_language(Lang lang) { current = lang; }
Lang language() { return current; }
const char* lang_code(Lang lang) { return lang == Lang::Zh ? "zh" : "en"; }
Lang lang_from_code(const std::string& code) { return code == "en" ? Lang::En : Lang::Zh; }

const char* tr(S s) { return pick(kStrings[static_cast<size_t>(s)]); }

std::string visit_field_label(const std::string& key) {
  static const std::pair<const char*, S> kLabels[] = {
      {"name", S::FieldName},           {"phone", S::FieldPhone},           {"party_size", S::FieldPartySize},
      {"channel", S::FieldChannel},     {"appointed_consultant", S::FieldConsultant},
      {"car_plate", S::FieldPlate},     {"notes", S::FieldNotes},           {"received_by", S::FieldReceivedBy},
      {"arrived_ms", S::FieldArrivedAt}, {"received_ms", S::FieldReceivedAt}, {"left_ms", S::FieldLeftAt},
      {"visit_number", S::FieldVisitNumber},
  };
  for (const auto& [k, label] : kLabels)
    if (key == k) return tr(label);
  if (key == "_attachments") return tr(S::FieldPhotos);
  if (key == "created_ms" || key == "updated_ms" || key == "type" || key == "site") return "";  // bookkeeping
  return key;
}

const char* channel_name(core::Channel c) { return pick(kChannels[static_cast<size_t>(c)]); }

std::string problem_message(core::Field f, core::Problem p) {
  const bool zh = current == Lang::Zh;
  char buf[256];
  switch (p) {
    case core::Problem::Required:
      if (f == core::Field::Channel) return zh ? "请选择来源渠道" : "Choose a channel";
      std::snprintf(buf, sizeof buf, zh ? "请填写%s" : "%s is required", field_name(f));
      return buf;
    case core::Problem::TooLong:
      std::snprintf(buf, sizeof buf, zh ? "%s太长" : "%s is too long", field_name(f));
      return buf;
    case core::Problem::NotAMobileNumber:
      return zh ? "手机号应为11位大陆手机号码，如 13812345678" : "Enter an 11-digit mainland mobile number, e.g. 13812345678";
    case core::Problem::NotAPlate:
      return zh ? "车牌号格式不对，如 粤B12345 或新能源 粤BD12345"
                : "Not a valid plate, e.g. 粤B12345 or new-energy 粤BD12345";
    case core::Problem::PartySizeOutOfRange:
      std::snprintf(buf, sizeof buf, zh ? "人数应在1到%d之间" : "Party size must be 1 to %d", core::kMaxPartySize);
      return buf;
    case core::Problem::ControlCharacters:
      std::snprintf(buf, sizeof buf, zh ? "%s含有不可见字符" : "%s contains invisible characters", field_name(f));
      return buf;
  }
  return "";
}

const char* ticket_type_name(core::TicketType t) {
  static constexpr S kNames[] = {S::TypeRepair, S::TypeComplaint, S::TypeInquiry, S::TypeSuggestion,
                                 S::TypePatrolFinding};
  return tr(kNames[static_cast<size_t>(t)]);
}

const char* ticket_status_name(core::TicketStatus st) {
  static constexpr S kNames[] = {S::StatusNew,  S::StatusDispatched,    S::StatusInProgress,
                                 S::StatusDone, S::StatusReturnVisited, S::StatusClosed};
  return tr(kNames[static_cast<size_t>(st)]);
}

const char* priority_name(core::Priority p) {
  static constexpr S kNames[] = {S::PriorityNormal, S::PriorityEmergency, S::PriorityScheduled};
  return tr(kNames[static_cast<size_t>(p)]);
}

const char* check_result_name(core::CheckResult r) {
  static constexpr S kNames[] = {S::ResultPass, S::ResultFinding, S::ResultNotAccessible};
  return tr(kNames[static_cast<size_t>(r)]);
}

const char* step_name(core::StepKind k) {
  static constexpr S kNames[] = {S::StepCreate, S::StepDispatch,    S::StepStart, S::StepDone,  S::StepReply,
                                 S::StepAgreeReplyDate, S::StepNote, S::StepReturnVisit, S::StepClose, S::StepUnknown};
  return tr(kNames[static_cast<size_t>(k)]);
}

const char* role_name(core::Role r) {
  switch (r) {
    case core::Role::ShowroomHost: return tr(S::RoleShowroomHost);
    case core::Role::FrontDesk: return tr(S::RoleFrontDesk);
    case core::Role::Butler: return tr(S::RoleButler);
    case core::Role::Supervisor: return tr(S::RoleSupervisor);
    case core::Role::Admin: return tr(S::RoleAdmin);
  }
  return "";
}

std::string ticket_problem_message(core::TicketField f, core::TicketProblem p) {
  const bool zh = current == Lang::Zh;
  static constexpr S kFields[] = {S::FieldType,     S::FieldPlace,       S::FieldReporter, S::FieldContact,
                                  S::FieldCategory, S::FieldDescription, S::FieldPhotos,   S::FieldPriority,
                                  S::FieldAppointment, S::FieldComplaintLevel, S::FieldReplyBy};
  const char* name = tr(kFields[static_cast<size_t>(f)]);
  char buf[256];
  switch (p) {
    case core::TicketProblem::Required:
      std::snprintf(buf, sizeof buf, zh ? "请填写%s" : "%s is required", name);
      return buf;
    case core::TicketProblem::TooLong:
      std::snprintf(buf, sizeof buf, zh ? "%s太长" : "%s is too long", name);
      return buf;
    case core::TicketProblem::ControlCharacters:
      std::snprintf(buf, sizeof buf, zh ? "%s含有不可见字符" : "%s contains invisible characters", name);
      return buf;
    case core::TicketProblem::NotAPhoneNumber:
      return zh ? "联系电话应为手机号或固定电话" : "Enter a mobile or landline number";
    case core::TicketProblem::NotForThisType:
      std::snprintf(buf, sizeof buf, zh ? "此类型不需要%s" : "%s does not apply to this type", name);
      return buf;
    case core::TicketProblem::RepairNeedsPriority:
      return zh ? "报修须选择急修或预约" : "A repair is either an emergency or scheduled";
    case core::TicketProblem::NotAfterNow:
      std::snprintf(buf, sizeof buf, zh ? "%s应晚于现在" : "%s must be in the future", name);
      return buf;
    case core::TicketProblem::OutOfRange:
      std::snprintf(buf, sizeof buf, zh ? "%s超出范围" : "%s is out of range", name);
      return buf;
  }
  return "";
}

const char* figure_name(core::Figure f) {
  static constexpr S kNames[] = {S::FigureRepair, S::FigureReturnVisits, S::FigureComplaints, S::FigureSatisfaction};
  return tr(kNames[static_cast<size_t>(f)]);
}

size_t department_count() { return std::size(kDepartments); }
const char* department_stored(size_t i) { return kDepartments[i].zh; }
const char* department_name(size_t i) { return pick(kDepartments[i]); }
const char* weekday_name(int monday_based) { return pick(kWeekdays[((monday_based % 7) + 7) % 7]); }

std::string format_duration(int64_t ms) {
  const int64_t minutes = std::max<int64_t>(0, ms) / 60000;
  char buf[64];
  if (minutes >= 24 * 60)
    std::snprintf(buf, sizeof buf, tr(S::DaysHoursFmt), (int)(minutes / (24 * 60)), (int)(minutes / 60 % 24));
  else if (minutes >= 60 && minutes % 60 == 0)
    std::snprintf(buf, sizeof buf, tr(S::HoursFmt), (int)(minutes / 60));
  else if (minutes >= 60)
    std::snprintf(buf, sizeof buf, tr(S::HoursMinutesFmt), (int)(minutes / 60), (int)(minutes % 60));
  else
    std::snprintf(buf, sizeof buf, tr(S::MinutesShortFmt), (int)minutes);
  return buf;
}

std::string template_problem_message(const core::TemplateError& e, const core::PatrolTemplate& t) {
  const bool zh = current == Lang::Zh;
  // Where: the route's name, or the area / checkpoint / check by its position and name.
  std::string where;
  char buf[256];
  const core::PatrolArea* area = e.area >= 0 && e.area < (int)t.areas.size() ? &t.areas[e.area] : nullptr;
  const core::Checkpoint* cp =
      area && e.checkpoint >= 0 && e.checkpoint < (int)area->checkpoints.size() ? &area->checkpoints[e.checkpoint]
                                                                                : nullptr;
  if (cp && e.check >= 0) {
    std::snprintf(buf, sizeof buf, zh ? "检查点「%s」的第 %d 项检查" : "Check %2$d of checkpoint \"%1$s\"",
                  cp->name.c_str(), e.check + 1);
  } else if (cp) {
    std::snprintf(buf, sizeof buf, zh ? "区域「%s」的第 %d 个检查点" : "Checkpoint %2$d of area \"%1$s\"",
                  area->name.c_str(), e.checkpoint + 1);
  } else if (area) {
    std::snprintf(buf, sizeof buf, zh ? "第 %d 个区域" : "Area %d", e.area + 1);
  } else {
    std::snprintf(buf, sizeof buf, "%s", tr(e.part == core::TemplatePart::Name ? S::FieldRouteName : S::ColAreas));
  }
  where = buf;
  switch (e.problem) {
    case core::TemplateProblem::Required: return where + (zh ? "：不能为空" : ": must not be empty");
    case core::TemplateProblem::TooLong: return where + (zh ? "：太长" : ": too long");
    case core::TemplateProblem::ControlCharacters: return where + (zh ? "：含有不可见字符" : ": contains invisible characters");
    case core::TemplateProblem::Empty:
      if (e.part == core::TemplatePart::Area) return zh ? "路线至少要有一个区域" : "A route needs at least one area";
      return where + (zh ? "：至少要有一个检查点" : ": needs at least one checkpoint");
    case core::TemplateProblem::Duplicate: return where + (zh ? "：与前面的重名" : ": has the same name as one before it");
    case core::TemplateProblem::TooMany: return where + (zh ? "：数量太多" : ": too many");
  }
  return where;
}

std::vector<uint32_t> ui_codepoints() {
  std::vector<uint32_t> cps;
  for (uint32_t c = 0x20; c < 0x7F; ++c) cps.push_back(c);
  auto add_utf8 = [&](const char* s) {
    const char* end = s + std::strlen(s);
    while (s < end) {
      unsigned int c = 0;
      s += ImTextCharFromUtf8(&c, s, end);
      cps.push_back(c);
    }
  };
  for (const Pair& p : kStrings) add_utf8(p.zh), add_utf8(p.en);
  for (const Pair& p : kChannels) add_utf8(p.zh), add_utf8(p.en);
  for (const Pair& p : kDepartments) add_utf8(p.zh), add_utf8(p.en);
  for (const Pair& p : kWeekdays) add_utf8(p.zh), add_utf8(p.en);
  std::sort(cps.begin(), cps.end());
  cps.erase(std::unique(cps.begin(), cps.end()), cps.end());
  return cps;
}

std::string format_bytes(double bytes) {
  char buf[32];
  if (bytes >= 1024.0 * 1024.0 * 1024.0)
    std::snprintf(buf, sizeof buf, "%.1f GB", bytes / (1024.0 * 1024.0 * 1024.0));
  else if (bytes >= 1024.0 * 1024.0)
    std::snprintf(buf, sizeof buf, "%.1f MB", bytes / (1024.0 * 1024.0));
  else
    std::snprintf(buf, sizeof buf, "%.0f KB", bytes / 1024.0);
  return buf;
}

}  // namespace steward::ui
