/* Test scaffolding for wine 8.0 only, never shipped: wine has no bcryptprimitives.dll, whose ProcessPrng
   Rust's standard library (cryptography's _rust module) imports on Windows 10+. This stand-in fills the buffer
   from RtlGenRandom (advapi32!SystemFunction036), which wine implements. Built by .ci/windows-check with
   x86_64-w64-mingw32-gcc into the throwaway wine prefix's system32. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
