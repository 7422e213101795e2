/**
 * Simplified Chinese strings of the extension, keyed by the English message.
 *
 * JupyterLab's language packs are separate Python packages; shipping a pack for
 * one small extension would be heavy, so this table is bundled and chosen by
 * `i18n.ts` when the UI language (ITranslator.languageCode) starts with "zh".
 * An installed language pack with a `jupyter_devenv` domain is used otherwise.
 */
export const ZH_CN: Record<string, string> = {
  'Auto-stop countdown': '自动停止倒计时',
  'auto-stop off': '自动停止已关闭',
  'Auto-stop is off.': '自动停止已关闭。',
  'Loading…': '加载中…',
  'not configured': '未配置',
  'unreachable': '无法连接',
  'error': '错误',
  'stopped': '已停止',
  'stop time unknown': '停止时间未知',
  'stopping…': '正在停止…',
  'Stops at %1 (local time).': '将于本地时间 %1 停止。',
  'The instance will stop at %1 (local time), in %2.': '实例将于本地时间 %1 停止，剩余 %2。',
  'Instance: %1': '实例：%1',
  'Emulated instance (ModelArts emulator)': '模拟实例（ModelArts 模拟器）',
  'emulated': '模拟',
  'The devenv extension is not configured. Missing: %1.': 'devenv 扩展尚未配置。缺少：%1。',
  'Set them in the server configuration (c.DevEnv.*) or the environment, then restart Jupyter.':
    '请在服务器配置（c.DevEnv.*）或环境变量中设置，然后重启 Jupyter。',
  'The Jupyter server does not answer. Your instance may have stopped; save your work locally if you can.':
    'Jupyter 服务器没有响应。实例可能已停止；如可能请在本地保存您的工作。',
  'The instance is %1. It is no longer running.': '实例状态为 %1，已不再运行。',
  'Auto-stop is on but the API gives no stop time.': '自动停止已开启，但 API 未给出停止时间。',
  'The deadline has passed: the instance is stopping.': '已到停止时间：实例正在停止。',
  'Error %1: %2': '错误 %1：%2',
  'Try again later; if it persists, check the server log.': '请稍后重试；如果问题持续，请查看服务器日志。',
  'Last known stop time: %1.': '最后已知的停止时间：%1。',
  'Turn off auto-stop': '关闭自动停止',
  'Turn on auto-stop': '开启自动停止',
  'Duration': '时长',
  'Extend': '延长',
  'Keep running for': '从现在起继续运行',
  'Keep running for %1 from now': '从现在起继续运行 %1',
  'The jupyter-devenv extension has not started on this page: reload it.': 'jupyter-devenv 扩展未在此页面启动：请重新加载页面。',
  'Extend: keep running %1 from now': '延长：从现在起再运行 %1',
  'Remind me before the stop': '停止前提醒我',
  "Don't remind again": '不再提醒',
  'Insert the full panel into the notebook': '在笔记本中插入完整面板',
  'On this backend the instance cannot be extended while it runs: a new duration applies at the next start. You can turn auto-stop off now.':
    '此后端不支持在运行时延长：新的时长将在下次启动时生效。您现在可以关闭自动停止。',
  'Duration for the next start': '下次启动的时长',
  'Apply': '应用',
  'Close': '关闭',
  'Working…': '处理中…',
  'Auto-stop turned off.': '已关闭自动停止。',
  'Auto-stop turned on.': '已开启自动停止。',
  'Reminders turned off.': '已关闭提醒。',
  'Reminders turned on.': '已开启提醒。',
  'Extended: the instance now stops at %1.': '已延长：实例现在将于 %1 停止。',
  'Could not change auto-stop: %1 (%2).': '无法更改自动停止：%1（%2）。',
  'The instance %1 stops in %2 (at %3).': '实例 %1 将在 %2 后停止（%3）。',
  'Extend %1': '延长 %1',
  'Saved %1 document(s) before the instance stops: %2': '实例停止前已保存 %1 个文档：%2',
  'The instance stops in %1: all open documents were already saved.':
    '实例将在 %1 后停止：所有打开的文档均已保存。',
  'Could not save %1 before the stop: %2': '停止前无法保存 %1：%2',
  'The instance has stopped (%1). Unsaved changes in this page cannot be saved to it.':
    '实例已停止（%1）。此页面中未保存的更改无法再保存到实例。',
  'The Jupyter server is gone: the countdown is no longer live.':
    'Jupyter 服务器已断开：倒计时已不再实时。',
  'Backend: %1': '后端：%1',
  '%1 h': '%1 小时',
  'On this API auto-stop is a lease: it cannot be turned off here, but Extend keeps the instance running for up to 72 h from now.':
    '此 API 的自动停止是租约：无法在此关闭，但可通过“延长”让实例从现在起最多再运行 72 小时。',
  // The AutoStopPanel view (panelContent.ts, panelErrors.ts).
  'Auto-stop': '自动停止',
  '%1 h %2 min': '%1 小时 %2 分钟',
  '%1 min': '%1 分钟',
  '%1 s': '%1 秒',
  ', ': '、',
  'Auto-stop panel': '自动停止面板',
  'Time elapsed of the auto-stop duration': '自动停止时长中已用的时间',
  'Auto-stop is on.': '自动停止已开启。',
  'Turned on, auto-stop stops the instance after the chosen duration (1–24 h); the stop time shown is the one the API returns.':
    '开启后，实例将在所选时长（1–24 小时）后自动停止；显示的停止时间以 API 返回的为准。',
  'Saved: the new duration applies from the next start.': '已保存：新的时长将从下次启动起生效。',
  'On this API a running instance cannot be extended: it keeps its stop time, and a new duration (1–24 h) applies from the next start. To keep it running now, turn auto-stop off.':
    '此 API 不支持延长运行中的实例：当前停止时间保持不变，新的时长（1–24 小时）从下次启动起生效。如需现在保持运行，请关闭自动停止。',
  'On this API auto-stop is a lease: there is no on/off. Extend renews it for 1–72 h counted from now; the stop time shown is the one the API returns.':
    '此 API 的自动停止是租约：没有开关。“延长”会将租约续期为从现在起 1–72 小时；显示的停止时间以 API 返回的为准。',
  'Extended.': '已延长。',
  'Save': '保存',
  'Revert': '还原',
  'Description': '描述',
  'Description saved.': '描述已保存。',
  'On this API the description cannot be changed from here: change it in the ModelArts console.':
    '此 API 不支持在这里修改描述：请在 ModelArts 控制台中修改。',
  'Refresh': '刷新',
  'Instance id: %1': '实例 ID：%1',
  '(at %1 before)': '（在停止前 %1 提醒）',
  'The instance keeps running until it is stopped.': '实例将一直运行，直到被停止。',
  '%1 of %2 elapsed': '已用 %1 / 共 %2',
  'Not allowed: %1. A description cannot contain %2.': '不允许的字符：%1。描述中不能包含 %2。',
  'Too long by %1: at most %2 characters are allowed.': '超出 %1 个字符：最多允许 %2 个字符。',
  "Remove the characters the API does not allow (& < > \" ' /) and save again.":
    "请删除 API 不允许的字符（& < > \" ' /）后重新保存。",
  'Choose a duration between 1 and 24 hours and try again.': '请选择 1 到 24 小时之间的时长后重试。',
  'Set the duration for the next start, or turn auto-stop off to keep the instance running.':
    '请设置下次启动的时长，或关闭自动停止以保持实例运行。',
  'Make this change in the ModelArts console.': '请在 ModelArts 控制台中进行此更改。',
  'ModelArts did not answer. Try again in a minute; the stop time shown may be out of date.':
    'ModelArts 没有响应。请一分钟后重试；显示的停止时间可能已过时。',
  'The instance was not found: check the instance id in the server configuration.':
    '未找到实例：请检查服务器配置中的实例 ID。',
  'Reload the page and try again; if it persists, check the server log.':
    '请重新加载页面后重试；如果问题持续，请查看服务器日志。',
  'Check the value and try again.': '请检查输入的值后重试。',
  'Too many requests: wait a moment, then try again.': '请求过多：请稍候再试。',
  'The request was refused: check the credentials in the server configuration, or reload the page.':
    '请求被拒绝：请检查服务器配置中的凭据，或重新加载页面。'
};
