package staffing

import "flag"

// long runs the plans of whole bundled scenarios (minutes on 2 cores).
var long = flag.Bool("long", false, "run the long plan checks of bundled scenarios")
