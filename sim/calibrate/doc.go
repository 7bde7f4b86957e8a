// Package calibrate estimates a scenario from a helpdesk's own history: the
// arrivals per channel with their weekly and intraday shape, the category
// shares, handle times, escalation and reply probabilities, and the
// customers' patience; it writes them as a scenario that model.Load accepts,
// forecasts a target period and backtests the scenario against what really
// happened.
//
// History is read as a stream of Events (one status change of one ticket),
// from the JSON-lines lifecycle trace (ReadTrace), from a CSV event log
// with a column mapping (ReadCSV), from a Request Tracker 5 through REST2
// (RT5Source) or from Zendesk's incremental exports (ZendeskSource). The History aggregates as it reads:
// memory grows with the tickets open at one time and with the length of the
// period, never with the number of rows. Bad rows are counted and kept by
// line in Issues, never guessed around.
//
// Patience is estimated with answered waits as censored observations (the
// exponential MLE, abandonments ÷ total time waited by everyone, and
// Kaplan–Meier); the naive mean of abandoned waits, biased low, is reported
// only for contrast.
package calibrate
