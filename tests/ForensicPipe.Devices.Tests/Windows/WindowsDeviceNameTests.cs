using ForensicPipe.Core.Errors;
using ForensicPipe.Devices.Windows;

namespace ForensicPipe.Devices.Tests.Windows;

public class WindowsDeviceNameTests
{
    [Theory]
    [InlineData("1", WindowsDeviceNameKind.PhysicalDrive, @"\\.\PhysicalDrive1")]
    [InlineData(" 12 ", WindowsDeviceNameKind.PhysicalDrive, @"\\.\PhysicalDrive12")]
    [InlineData(@"\\.\PHYSICALDRIVE3", WindowsDeviceNameKind.PhysicalDrive, @"\\.\PhysicalDrive3")]
    [InlineData("e:", WindowsDeviceNameKind.DriveLetter, @"\\.\E:")]
    [InlineData("Z:", WindowsDeviceNameKind.DriveLetter, @"\\.\Z:")]
    [InlineData(@"C:\CDROM", WindowsDeviceNameKind.MountPoint, @"C:\CDROM\")]
    [InlineData(@"C:\CDROM\", WindowsDeviceNameKind.MountPoint, @"C:\CDROM\")]
    [InlineData("C:/mnt/usb", WindowsDeviceNameKind.MountPoint, @"C:\mnt\usb\")]
    [InlineData(@"E:\", WindowsDeviceNameKind.MountPoint, @"E:\")]
    [InlineData(@"\\?\Volume{0b1c2d3e-0000-0000-0000-100000000000}\", WindowsDeviceNameKind.DevicePath, @"\\?\Volume{0b1c2d3e-0000-0000-0000-100000000000}")]
    [InlineData(@"\\.\CdRom0", WindowsDeviceNameKind.DevicePath, @"\\.\CdRom0")]
    public void Parse_WhatUsersType_TheDeviceNameCreateFileTakes(string input, WindowsDeviceNameKind kind, string name)
    {
        WindowsDeviceTarget target = WindowsDeviceName.Parse(input);

        Assert.Equal(kind, target.Kind);
        Assert.Equal(name, target.DeviceName);
    }

    [Fact]
    public void Resolve_MountPoint_VolumeNameWithoutTheTrailingBackslash()
    {
        string? asked = null;

        string name = WindowsDeviceName.Resolve(@"C:\CDROM", mountPoint =>
        {
            asked = mountPoint;
            return @"\\?\Volume{5c3a1f00-1111-2222-3333-444455556666}\";
        });

        Assert.Equal(@"C:\CDROM\", asked);
        Assert.Equal(@"\\?\Volume{5c3a1f00-1111-2222-3333-444455556666}", name);
    }

    [Fact]
    public void Resolve_DriveLetter_DoesNotAskForAVolume()
    {
        string name = WindowsDeviceName.Resolve("f:", _ => throw new InvalidOperationException("not a mount point"));

        Assert.Equal(@"\\.\F:", name);
    }

    [Fact]
    public void Resolve_FolderThatIsNoMountPoint_OneLineError()
    {
        var error = Assert.Throws<ForensicPipeException>(() => WindowsDeviceName.Resolve(@"C:\Users", _ => null));

        Assert.Equal(@"C:\Users: not a disk number, a drive letter such as E:, a device name or a mount-point folder", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Parse_Empty_Throws(string input) =>
        Assert.Throws<ForensicPipeException>(() => WindowsDeviceName.Parse(input));

    [Theory]
    [InlineData(@"\\?\Volume{x}\", @"\\?\Volume{x}")]
    [InlineData(@"\\?\Volume{x}", @"\\?\Volume{x}")]
    [InlineData("", "")]
    public void TrimTrailingBackslash_RemovesOne(string input, string expected) =>
        Assert.Equal(expected, WindowsDeviceName.TrimTrailingBackslash(input));
}
