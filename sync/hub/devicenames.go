package hub

// DeviceNames returns a lookup from device id to the name the operator
// gave the device (pending, active and revoked devices alike: a revoked
// kiosk's responses stay and keep its name), for the device_name column of
// exports. An unknown id gives "".
func DeviceNames(devs []*Device) func(id string) string {
	names := make(map[string]string, len(devs))
	for _, d := range devs {
		names[d.ID] = d.Name
	}
	return func(id string) string { return names[id] }
}
