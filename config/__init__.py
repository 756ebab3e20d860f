"""Settings and the data that configures vhbot's behaviour: criteria, region, message catalogues."""
