# Sourced by scripts/run. run_together LOG -- TASK_COMMAND... -- WEB_COMMAND...
# Starts the task command (output to LOG) and the web command in the
# background and waits: a signal to the script (Ctrl-C, SIGTERM, SIGHUP)
# stops both at once, and when either exits the other is stopped too. (A
# foreground child would keep the script from handling SIGTERM until it exits.)
run_together() {
  local log="$1"
  shift 2
  local task=()
  while [ "$1" != "--" ]; do task+=("$1"); shift; done
  shift
  # Traps first: a signal that arrives while the two start still stops both.
  TOGETHER_TASK_PID="" TOGETHER_WEB_PID=""
  trap '_together_stop; exit 130' INT
  trap '_together_stop; exit 143' TERM
  trap '_together_stop; exit 129' HUP
  trap _together_stop EXIT
  "${task[@]}" >"$log" 2>&1 &
  TOGETHER_TASK_PID=$!
  "$@" &
  TOGETHER_WEB_PID=$!
  local rc=0
  wait -n "$TOGETHER_WEB_PID" "$TOGETHER_TASK_PID" || rc=$?
  return "$rc"
}

_together_stop() {
  trap - EXIT INT TERM HUP
  # Every background job of this shell: also one whose pid a signal arriving
  # between its start and the assignment of $! kept from the variables.
  local pids=($(jobs -p) $TOGETHER_WEB_PID $TOGETHER_TASK_PID)
  [ "${#pids[@]}" -eq 0 ] && return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
