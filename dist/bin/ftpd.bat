@echo off
rem Starts Apache FtpServer with the ftpserver-modtls module.
rem   bin\ftpd.bat CONFIGFILE        e.g. bin\ftpd.bat etc\ftpd-demo.xml
rem The configuration file and the relative paths inside it resolve against the current directory.
rem Environment: JAVA_HOME (else java from PATH), JAVA_OPTS (extra JVM options), FTPD_LOG4J (Log4j 2 config).
setlocal
set "FTPD_HOME=%~dp0.."
for %%I in ("%FTPD_HOME%") do set "FTPD_HOME=%%~fI"
if defined JAVA_HOME (set "JAVA=%JAVA_HOME%\bin\java.exe") else (set "JAVA=java")
if not defined FTPD_LOG4J set "FTPD_LOG4J=%FTPD_HOME%\etc\log4j2.xml"
"%JAVA%" "-Dlog4j2.configurationFile=%FTPD_LOG4J%" %JAVA_OPTS% -cp "%FTPD_HOME%\common\lib\*" dev.modtls.main.ModTlsCommandLine %*
exit /b %ERRORLEVEL%
