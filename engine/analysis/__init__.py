"""Analysis over many questions: what-if, flips, the matrix and the timeline (explore), a
coalition's outlook over its members' answers (outlook), which rules the case files exercise
(coverage), and the backtest against the documented record (backtest)."""
