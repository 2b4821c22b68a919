package wire

// TimestampFormat is the lead timestamp's format as the API documents it.
const TimestampFormat = "MM-dd-yyyy HH:mm:ss"

// TimestampLayout is TimestampFormat in Go's time layout notation.
const TimestampLayout = "01-02-2006 15:04:05"
