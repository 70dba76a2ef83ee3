"""The children's centre's side of the café: the service directory, footfall and signposting,
and the aggregate, disclosure-controlled figures that are all that ever leave the till."""
