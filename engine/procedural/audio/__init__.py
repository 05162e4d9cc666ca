"""Sound output: playing registry sounds through PortAudio (sounddevice), when there is one."""
