// Every word the UI shows, in Chinese (default) and English. Labels double as the test hook's widget names.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/patrol.hpp"
#include "core/ticket.hpp"
#include "core/ticket_targets.hpp"
#include "core/visit.hpp"

namespace steward::ui {

enum class Lang { Zh, En };
void set_language(Lang lang);
Lang language();
const char* lang_code(Lang lang);  // "zh" / "en", as persisted
Lang lang_from_code(const std::string& code);

enum class S {
  AppTitle,
  SwitchLanguage,
  TabRegister,
  TabToday,
  TabSummary,
  FieldName,
  FieldPhone,
  FieldPartySize,
  FieldChannel,
  FieldConsultant,
  FieldPlate,
  FieldNotes,
  Optional,
  NoConsultant,
  HintName,
  HintPhone,
  HintPlate,
  HintNotes,
  FirstVisit,
  RepeatVisitFmt,      // 复访 · 第%d次
  LastVisitFmt,        // 上次来访：%s %s
  SaveVisit,
  ClearForm,
  Saving,
  SavedFmt,            // 已保存：%s
  SaveFailedFmt,       // 保存失败：%s
  Retry,
  AllSaved,
  NotYetSaved,
  SearchHint,
  ColArrived,
  ColVisitor,
  ColPhone,
  ColParty,
  ColVisit,
  ColStatus,
  ColWaited,
  ColActions,
  StatusWaiting,
  StatusWithConsultantFmt,  // 接待中（%s）
  StatusLeft,
  MinutesFmt,               // %d分钟
  Receive,
  Depart,
  ChooseConsultantFmt,      // 由谁接待 %s？
  Cancel,
  OtherConsultant,
  Confirm,
  NoVisitsToday,
  NoMatches,
  SummaryTitleFmt,          // %s 来访统计
  SumVisits,
  SumPeople,
  SumFirst,
  SumRepeat,
  SumWaiting,
  SumWithConsultant,
  SumLeft,
  ByChannel,
  StoragePersisted,
  StorageNotPersisted,
  StorageUnknown,
  StorageUsedFmt,           // 已用 %s / %s
  ReadOnlyBanner,
  OpeningStore,
  StoreOpenFailedFmt,
  RecoveredFmt,             // 已从中断的写入中恢复（丢弃了 %d 字节未完成的数据）
  QuotaExceeded,
  WriteFailed,
  SyncOnline,
  SyncOffline,
  SyncLastFmt,         // 上次同步 %s
  SyncNever,
  SyncPendingFmt,      // 待上传 %d 条
  SyncAllUploaded,
  SyncDownloadingFmt,  // 正在下载 %d / %d
  SyncRetryFmt,        // %d 秒后重试
  SyncErrorFmt,        // 同步出错：%s
  MergedTag,
  SyncProblemTimedOut,
  SyncProblemServer,
  SyncProblemNotAllowed,
  SyncProblemNoDatabase,
  SyncProblemTooLarge,
  SyncProblemBadAnswer,
  SyncProblemRejectedFmt,  // %d 条记录被服务器拒收
  SyncProblemOther,
  MergeDetailTitle,
  MergeDetailExplain,
  MergeEditByFmt,          // %s · %s  (device · time)
  ThisTablet,
  TabletFmt,               // 平板 %s
  AnotherDevice,
  MergeEditKeptFmt,        // 采用了它的：%s
  MergeEditSuperseded,
  FieldReceivedBy,
  FieldArrivedAt,
  FieldReceivedAt,
  FieldLeftAt,
  FieldVisitNumber,
  GotIt,
  ListSeparator,           // 、
  FieldPhotos,
  SelectAll,
  Cut,
  Copy,
  Paste,
  ClipboardWriteFailed,
  ClipboardReadRefused,
  ClipboardUnavailable,
  ClipboardEmpty,
  // tickets and patrols
  TabTickets,
  TabPatrol,
  ListMine,
  ListOverdue,
  ListReturnVisit,
  ListByBuilding,
  ListSearch,
  NewTicket,
  OverdueTag,
  RepeatFmt,
  NoTickets,
  TypeRepair,
  TypeComplaint,
  TypeInquiry,
  TypeSuggestion,
  TypePatrolFinding,
  StatusNew,
  StatusDispatched,
  StatusInProgress,
  StatusDone,
  StatusReturnVisited,
  StatusClosed,
  PriorityNormal,
  PriorityEmergency,
  PriorityScheduled,
  FieldType,
  FieldBuilding,
  FieldUnit,
  FieldPlace,
  FieldReporter,
  FieldContact,
  FieldCategory,
  FieldDescription,
  FieldPriority,
  FieldComplaintLevel,
  FieldDepartment,
  FieldPerson,
  FieldOutcome,
  FieldSatisfaction,
  FieldReason,
  FieldReply,
  ActDispatch,
  ActStart,
  ActDone,
  ActReply,
  ActReturnVisit,
  ActClose,
  SaveTicket,
  Back,
  OwnerFmt,
  DueFmt,
  DispatchedToFmt,
  Timeline,
  Superseded,
  StepRefused,
  StepReasonRequired,
  StepOutcomeRequired,
  StepTargetRequired,
  TicketSavedFmt,
  PatrolChooseRoute,
  PatrolStart,
  PatrolResume,
  PatrolPause,
  PatrolFinish,
  PatrolPaused,
  ResultPass,
  ResultFinding,
  ResultNotAccessible,
  ProgressFmt,
  PatrolDoneFmt,
  PatrolAllChecked,
  FindingTitleFmt,
  SaveFinding,
  NoTemplates,
  StartedFmt,
  CurrentUserFmt,
  AddPhoto,
  PhotosFmt,
  StepCreate,
  StepDispatch,
  StepStart,
  StepDone,
  StepReply,
  StepAgreeReplyDate,
  StepNote,
  StepReturnVisit,
  StepClose,
  StepUnknown,
  // the supervisor's screens, the ticket form's times
  TitleTickets,
  TitlePatrol,
  TitleTargets,
  TitleRoutes,
  TabTargets,
  TabRoutes,
  FieldAppointment,
  FieldReplyBy,
  ReplyWithin24h,
  ReplyAgreedDate,
  ChosenTimeFmt,
  NotChosen,
  Today,
  Tomorrow,
  DayAfterTomorrow,
  OtherDepartment,
  FieldOtherDepartment,
  PeriodDay,
  PeriodWeek,
  PeriodMonth,
  PreviousPeriod,
  NextPeriod,
  CurrentPeriod,
  PeriodRangeFmt,
  Everyone,
  FigureRepair,
  FigureReturnVisits,
  FigureComplaints,
  FigureSatisfaction,
  NoData,
  TargetFmt,
  MetOfCountedFmt,
  AverageScoreFmt,
  TrendTitleFmt,
  PulledDownFmt,
  NothingPullsDown,
  ShortfallNotDoneFmt,
  ShortfallLateFmt,
  ShortfallNoVisit,
  ShortfallScoreFmt,
  ByPerson,
  ColPerson,
  DownloadTargets,
  DownloadTickets,
  DownloadedFmt,
  DaysHoursFmt,
  HoursMinutesFmt,
  HoursFmt,
  MinutesShortFmt,
  OnTarget,
  BelowTarget,
  ChooseRouteToEdit,
  NewRoute,
  FieldRouteName,
  ColAreas,
  CheckpointsOfFmt,
  ChecksOfFmt,
  AddArea,
  AddCheckpoint,
  AddCheck,
  SaveRoute,
  DiscardChanges,
  RouteSaved,
  RouteUnsaved,
  RouteEditedFmt,
  RouteChangedElsewhere,
  NewAreaFmt,
  NewCheckpointFmt,
  NewCheck,
  NewRouteName,
  Count_
};

const char* tr(S s);
const char* channel_name(core::Channel c);
// A visit document's field ("party_size") as people call it ("人数"); empty for bookkeeping people never see
// (updated_ms), the key itself when there is no name.
std::string visit_field_label(const std::string& key);
// A field's problem, in words: "请填写姓名", "手机号应为11位大陆手机号码".
std::string problem_message(core::Field f, core::Problem p);
const char* ticket_type_name(core::TicketType t);
const char* ticket_status_name(core::TicketStatus s);
const char* priority_name(core::Priority p);
const char* check_result_name(core::CheckResult r);
const char* step_name(core::StepKind k);
// A ticket form field's problem, in words: "请填写类别".
std::string ticket_problem_message(core::TicketField f, core::TicketProblem p);
const char* figure_name(core::Figure f);
// The departments a ticket is dispatched to: as stored in the ticket (the site's own words, in Chinese, so every
// tablet reads the same department whatever its language) and as shown.
size_t department_count();
const char* department_stored(size_t i);
const char* department_name(size_t i);
// 周一 … 周日; 0 is Monday.
const char* weekday_name(int monday_based);
// "2天3小时", "3小时5分", "25分钟"
std::string format_duration(int64_t ms);
// A route's problem in words, naming where it is: "区域 3「大堂」：名称重复".
std::string template_problem_message(const core::TemplateError& e, const core::PatrolTemplate& t);
// Every code point the string table uses, in both languages, ascending: the heading font's glyphs.
std::vector<uint32_t> ui_codepoints();
// "1.2 MB", "340 KB"
std::string format_bytes(double bytes);

}  // namespace steward::ui
